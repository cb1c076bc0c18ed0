package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"patchreview/publicinbox"
)

// InboxEpoch is what is known of one public-inbox epoch repository.
type InboxEpoch struct {
	Repo       string `json:"repo"`
	List       string `json:"list"`
	LastCommit string `json:"last_commit"`
	Messages   int64  `json:"messages"`
}

// IngestPublicInbox imports a public-inbox archive (a v2 directory with
// git/0.git, git/1.git, … or one epoch repository) and, called again,
// what was committed to it since: the last commit ingested per epoch is
// stored in the same transaction as its message. list names the archive
// for mail without a List-Id header ("" means the directory's name).
// Messages go through the ingest pipeline (parallel parse and check, one
// writer, batched); progress is called after each message is committed.
func (s *Store) IngestPublicInbox(ctx context.Context, dir, list string, progress func(IngestStats)) (IngestStats, error) {
	epochs, err := publicinbox.Epochs(dir)
	if err != nil {
		return IngestStats{}, err
	}
	if list == "" {
		list = publicinbox.Name(dir)
	}
	return s.ingest(ctx, "publicinbox:"+dir, func(emit func(*job) error) error {
		for _, repo := range epochs {
			ep, err := s.inboxEpoch(ctx, repo)
			if err != nil {
				return err
			}
			count := ep.Messages
			read := func(since string) error {
				return publicinbox.Read(ctx, repo, since, func(m publicinbox.Message) error {
					if m.Raw == nil { // a deletion: only remember it was read
						return emit(&job{mark: &inboxMark{repo: repo, list: list, commit: m.Commit, count: count}})
					}
					count++
					return emit(&job{raw: m.Raw, source: "publicinbox:" + repo, list: list,
						mark: &inboxMark{repo: repo, list: list, commit: m.Commit, count: count}})
				})
			}
			err = read(ep.LastCommit)
			if errors.Is(err, publicinbox.ErrNotAncestor) {
				// The epoch was rewritten: read it all again (what is
				// stored already counts as duplicates).
				count = 0
				err = read("")
			}
			if err != nil {
				return fmt.Errorf("%s: %w", repo, err)
			}
		}
		return nil
	}, progress)
}

// inboxEpoch returns what is stored about an epoch (zero when nothing).
func (s *Store) inboxEpoch(ctx context.Context, repo string) (InboxEpoch, error) {
	ep := InboxEpoch{Repo: repo}
	err := s.r.QueryRowContext(ctx, `SELECT list, last_commit, messages FROM inbox_epochs WHERE repo = ?`, repo).
		Scan(&ep.List, &ep.LastCommit, &ep.Messages)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return ep, err
}

// InboxEpochs lists the public-inbox epochs imported so far.
func (s *Store) InboxEpochs(ctx context.Context) ([]InboxEpoch, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT repo, list, last_commit, messages FROM inbox_epochs ORDER BY list, repo`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []InboxEpoch{}
	for rows.Next() {
		var ep InboxEpoch
		if err := rows.Scan(&ep.Repo, &ep.List, &ep.LastCommit, &ep.Messages); err != nil {
			return nil, err
		}
		out = append(out, ep)
	}
	return out, rows.Err()
}
