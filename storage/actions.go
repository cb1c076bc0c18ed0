package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"patchreview/review"
)

// ErrForbidden is returned when an account changes what another wrote.
var ErrForbidden = errors.New("not yours to change")

// AddComment stores a comment typed in the web page on a patch line (or a
// general comment, Line 0) by the account c.UserID and returns its id. The
// body must not be empty. c.Side "old" anchors it on a removed line,
// numbered on the old side.
func (s *Store) AddComment(ctx context.Context, c review.Comment) (int64, error) {
	if strings.TrimSpace(c.Body) == "" {
		return 0, fmt.Errorf("%w: empty comment", review.ErrInvalid)
	}
	if c.Author.Email == "" {
		return 0, fmt.Errorf("%w: a comment needs the reviewer's email", review.ErrInvalid)
	}
	side := c.Side
	switch side {
	case "":
		side = "new"
	case "new", "old":
	default:
		return 0, fmt.Errorf("%w: side %q: want old or new", review.ErrInvalid, c.Side)
	}
	var user any
	if c.UserID != 0 {
		user = c.UserID
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var seriesID int64
		if err := tx.QueryRowContext(ctx, `SELECT series_id FROM patches WHERE id = ?`, c.PatchID).Scan(&seriesID); err != nil {
			return notFound(err, "patch %d", c.PatchID)
		}
		return tx.QueryRowContext(ctx, `INSERT INTO comments (patch_id, series_id, source, author_name, author_email, path, line, side, code, body, created_at, user_id)
			VALUES (?, ?, 'web', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.PatchID, seriesID, c.Author.Name, c.Author.Email,
			c.Path, c.Line, side, c.Code, c.Body, s.now().UnixNano(), user).Scan(&id)
	})
	return id, err
}

// EditComment replaces a web comment's body. Only the account that wrote
// it, or an admin, may: ErrForbidden otherwise, ErrNotFound when it does
// not exist.
func (s *Store) EditComment(ctx context.Context, id int64, by *User, body string) error {
	if strings.TrimSpace(body) == "" {
		return fmt.Errorf("%w: empty comment", review.ErrInvalid)
	}
	return s.ownComment(ctx, id, by, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE comments SET body = ? WHERE id = ?`, body, id)
		return err
	})
}

// DeleteComment deletes a web comment; only its owner or an admin may.
// Its id is never given to another comment.
func (s *Store) DeleteComment(ctx context.Context, id int64, by *User) error {
	return s.ownComment(ctx, id, by, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM comments WHERE id = ?`, id)
		return err
	})
}

func (s *Store) ownComment(ctx context.Context, id int64, by *User, fn func(*sql.Tx) error) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var source string
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT source, coalesce(user_id, 0) FROM comments WHERE id = ?`, id).Scan(&source, &owner)
		if err != nil {
			return notFound(err, "comment %d", id)
		}
		if source != "web" || !by.May(owner) {
			return fmt.Errorf("comment %d: %w", id, ErrForbidden)
		}
		return fn(tx)
	})
}

// CommentByID returns one comment, or ErrNotFound.
func (s *Store) CommentByID(ctx context.Context, id int64) (*review.Comment, error) {
	c := &review.Comment{ID: id}
	var patch sql.NullInt64
	var created int64
	err := s.r.QueryRowContext(ctx, `SELECT patch_id, series_id, source, message_id, author_name, author_email, path, line, side, code, body, created_at, coalesce(user_id, 0)
		FROM comments WHERE id = ?`, id).Scan(&patch, &c.SeriesID, &c.Source, &c.MessageID, &c.Author.Name, &c.Author.Email,
		&c.Path, &c.Line, &c.Side, &c.Code, &c.Body, &created, &c.UserID)
	if err != nil {
		return nil, notFound(err, "comment %d", id)
	}
	c.PatchID, c.Created = patch.Int64, time.Unix(0, created).UTC()
	return c, nil
}

// DismissFinding records the dismissal of a finding by the account
// d.UserID and returns the patch it is on. A finding dismissed by another
// account is theirs: only they or an admin replace it (ErrForbidden).
func (s *Store) DismissFinding(ctx context.Context, findingID int64, d review.Dismissal, by *User) (patchID int64, err error) {
	if !slices.Contains([]string{review.DismissFalsePositive, review.DismissIntended, review.DismissPreExisting}, d.Reason) {
		return 0, fmt.Errorf("%w: dismissal reason %q: want false-positive, intended or pre-existing", review.ErrInvalid, d.Reason)
	}
	if by == nil {
		return 0, fmt.Errorf("finding %d: %w", findingID, ErrForbidden)
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT patch_id FROM findings WHERE id = ?`, findingID).Scan(&patchID); err != nil {
			return notFound(err, "finding %d", findingID)
		}
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT coalesce(user_id, 0) FROM dismissals WHERE finding_id = ?`, findingID).Scan(&owner)
		if err == nil && !by.May(owner) {
			return fmt.Errorf("finding %d: %w", findingID, ErrForbidden)
		} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO dismissals (finding_id, reason, note, author_name, author_email, created_at, user_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, findingID, d.Reason, d.Note, by.Name, by.Email, s.now().UnixNano(), by.ID)
		return err
	})
	return patchID, err
}

// RestoreFinding undoes a dismissal and returns the patch it is on; only
// the account that dismissed it or an admin may (ErrForbidden).
func (s *Store) RestoreFinding(ctx context.Context, findingID int64, by *User) (patchID int64, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT patch_id FROM findings WHERE id = ?`, findingID).Scan(&patchID); err != nil {
			return notFound(err, "finding %d", findingID)
		}
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT coalesce(user_id, 0) FROM dismissals WHERE finding_id = ?`, findingID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // not dismissed: nothing to restore
		} else if err != nil {
			return err
		}
		if !by.May(owner) {
			return fmt.Errorf("finding %d: %w", findingID, ErrForbidden)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM dismissals WHERE finding_id = ?`, findingID)
		return err
	})
	return patchID, err
}

// AddVerdict records the verdict of the account v.UserID (named v.Author)
// on a patch, or on the whole series when v.PatchID is 0; the same
// reviewer giving the same kind again replaces the note.
func (s *Store) AddVerdict(ctx context.Context, v review.Verdict) error {
	if !slices.Contains(review.VerdictKinds, v.Kind) {
		return fmt.Errorf("%w: verdict %q: want one of %s", review.ErrInvalid, v.Kind, strings.Join(review.VerdictKinds, ", "))
	}
	if v.Author.Email == "" || v.Author.Name == "" {
		return fmt.Errorf("%w: a verdict needs the reviewer's name and email", review.ErrInvalid)
	}
	var user any
	if v.UserID != 0 {
		user = v.UserID
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var patch any
		if v.PatchID != 0 {
			patch = v.PatchID
			if err := tx.QueryRowContext(ctx, `SELECT series_id FROM patches WHERE id = ?`, v.PatchID).Scan(&v.SeriesID); err != nil {
				return notFound(err, "patch %d", v.PatchID)
			}
		} else if err := tx.QueryRowContext(ctx, `SELECT id FROM series WHERE id = ?`, v.SeriesID).Scan(&v.SeriesID); err != nil {
			return notFound(err, "series %d", v.SeriesID)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO verdicts (series_id, patch_id, kind, author_name, author_email, note, created_at, user_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (series_id, patch_id, author_email, kind) DO UPDATE SET note = excluded.note`,
			v.SeriesID, patch, v.Kind, v.Author.Name, v.Author.Email, v.Note, s.now().UnixNano(), user)
		return err
	})
}

// DeleteVerdict withdraws a verdict; only the account that gave it or an
// admin may. It returns the verdict as it was.
func (s *Store) DeleteVerdict(ctx context.Context, id int64, by *User) (*review.Verdict, error) {
	v := &review.Verdict{ID: id}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT series_id, coalesce(patch_id, 0), kind, coalesce(user_id, 0) FROM verdicts WHERE id = ?`, id).
			Scan(&v.SeriesID, &v.PatchID, &v.Kind, &v.UserID)
		if err != nil {
			return notFound(err, "verdict %d", id)
		}
		if !by.May(v.UserID) {
			return fmt.Errorf("verdict %d: %w", id, ErrForbidden)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM verdicts WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Verdicts returns the verdicts that apply to a patch: its own and those
// given on its whole series. With patchID 0, those of the series only.
func (s *Store) Verdicts(ctx context.Context, seriesID, patchID int64) ([]review.Verdict, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, series_id, coalesce(patch_id, 0), kind, author_name, author_email, note, created_at, coalesce(user_id, 0)
		FROM verdicts WHERE series_id = ? AND (patch_id IS NULL OR patch_id = ?) ORDER BY created_at, id`, seriesID, patchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []review.Verdict{}
	for rows.Next() {
		var v review.Verdict
		var created int64
		if err := rows.Scan(&v.ID, &v.SeriesID, &v.PatchID, &v.Kind, &v.Author.Name, &v.Author.Email, &v.Note, &created, &v.UserID); err != nil {
			return nil, err
		}
		v.Created = time.Unix(0, created).UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

// RuleStat is how often a rule fired and how often reviewers dismissed it.
type RuleStat struct {
	Fired, Dismissed int
}

// RuleStats returns per rule id how often it fired and was dismissed: the
// precision users see.
func (s *Store) RuleStats(ctx context.Context) (map[string]RuleStat, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT f.rule, count(*), count(d.finding_id) FROM findings f
		LEFT JOIN dismissals d ON d.finding_id = f.id GROUP BY f.rule`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]RuleStat{}
	for rows.Next() {
		var rule string
		var st RuleStat
		if err := rows.Scan(&rule, &st.Fired, &st.Dismissed); err != nil {
			return nil, err
		}
		out[rule] = st
	}
	return out, rows.Err()
}

// notFound turns sql.ErrNoRows into ErrNotFound with a name.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf(format+": %w", append(args, ErrNotFound)...)
	}
	return err
}

// SeriesCollectedTrailers returns, per patch of a series, the trailers
// collected from list replies (a cover-letter reply's on every patch).
func (s *Store) SeriesCollectedTrailers(ctx context.Context, seriesID int64) (map[int64][]review.Trailer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT t.patch_id, t.key, t.value FROM collected_trailers t
		JOIN patches p ON p.id = t.patch_id WHERE p.series_id = ? ORDER BY t.rowid`, seriesID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]review.Trailer{}
	for rows.Next() {
		var id int64
		var t review.Trailer
		if err := rows.Scan(&id, &t.Key, &t.Value); err != nil {
			return nil, err
		}
		out[id] = append(out[id], t)
	}
	return out, rows.Err()
}

// SentReply is a reply sent from the reply page.
type SentReply struct {
	MessageID  string
	Recipients string // comma-separated
	Sent       time.Time
}

// RecordSentReply notes that an account sent its reply to a patch.
func (s *Store) RecordSentReply(ctx context.Context, patchID, userID int64, r SentReply) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO sent_replies (patch_id, user_id, message_id, recipients, sent_at) VALUES (?, ?, ?, ?, ?)`,
		patchID, userID, r.MessageID, r.Recipients, r.Sent.UnixNano())
	return err
}

// LastSentReply returns the account's latest reply sent to a patch, or nil.
func (s *Store) LastSentReply(ctx context.Context, patchID, userID int64) (*SentReply, error) {
	r := &SentReply{}
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT message_id, recipients, sent_at FROM sent_replies WHERE patch_id = ? AND user_id = ?
		ORDER BY id DESC LIMIT 1`, patchID, userID).Scan(&r.MessageID, &r.Recipients, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.Sent = time.Unix(0, at).UTC()
	return r, nil
}
