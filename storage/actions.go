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

// ErrForbidden is returned when a reviewer changes what another wrote.
var ErrForbidden = errors.New("not yours to change")

// AddComment stores a comment typed in the web page on a patch line (or a
// general comment, Line 0) and returns its id. The body must not be empty.
func (s *Store) AddComment(ctx context.Context, c review.Comment) (int64, error) {
	if strings.TrimSpace(c.Body) == "" {
		return 0, fmt.Errorf("%w: empty comment", review.ErrInvalid)
	}
	if c.Author.Email == "" {
		return 0, fmt.Errorf("%w: a comment needs the reviewer's email", review.ErrInvalid)
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var seriesID int64
		if err := tx.QueryRowContext(ctx, `SELECT series_id FROM patches WHERE id = ?`, c.PatchID).Scan(&seriesID); err != nil {
			return notFound(err, "patch %d", c.PatchID)
		}
		return tx.QueryRowContext(ctx, `INSERT INTO comments (patch_id, series_id, source, author_name, author_email, path, line, code, body, created_at)
			VALUES (?, ?, 'web', ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.PatchID, seriesID, c.Author.Name, c.Author.Email,
			c.Path, c.Line, c.Code, c.Body, s.now().UnixNano()).Scan(&id)
	})
	return id, err
}

// EditComment replaces a web comment's body. Only its author (by email)
// may edit it: ErrForbidden otherwise, ErrNotFound when it does not exist.
func (s *Store) EditComment(ctx context.Context, id int64, author, body string) error {
	if strings.TrimSpace(body) == "" {
		return fmt.Errorf("%w: empty comment", review.ErrInvalid)
	}
	return s.ownComment(ctx, id, author, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE comments SET body = ? WHERE id = ?`, body, id)
		return err
	})
}

// DeleteComment deletes a web comment; only its author may.
func (s *Store) DeleteComment(ctx context.Context, id int64, author string) error {
	return s.ownComment(ctx, id, author, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM comments WHERE id = ?`, id)
		return err
	})
}

func (s *Store) ownComment(ctx context.Context, id int64, author string, fn func(*sql.Tx) error) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var email, source string
		err := tx.QueryRowContext(ctx, `SELECT author_email, source FROM comments WHERE id = ?`, id).Scan(&email, &source)
		if err != nil {
			return notFound(err, "comment %d", id)
		}
		if source != "web" || !strings.EqualFold(email, author) {
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
	err := s.r.QueryRowContext(ctx, `SELECT patch_id, series_id, source, message_id, author_name, author_email, path, line, code, body, created_at
		FROM comments WHERE id = ?`, id).Scan(&patch, &c.SeriesID, &c.Source, &c.MessageID, &c.Author.Name, &c.Author.Email,
		&c.Path, &c.Line, &c.Code, &c.Body, &created)
	if err != nil {
		return nil, notFound(err, "comment %d", id)
	}
	c.PatchID, c.Created = patch.Int64, time.Unix(0, created).UTC()
	return c, nil
}

// DismissFinding records a reviewer's dismissal of a finding (replacing an
// earlier one) and returns the patch it is on.
func (s *Store) DismissFinding(ctx context.Context, findingID int64, d review.Dismissal) (patchID int64, err error) {
	if !slices.Contains([]string{review.DismissFalsePositive, review.DismissIntended, review.DismissPreExisting}, d.Reason) {
		return 0, fmt.Errorf("%w: dismissal reason %q: want false-positive, intended or pre-existing", review.ErrInvalid, d.Reason)
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT patch_id FROM findings WHERE id = ?`, findingID).Scan(&patchID); err != nil {
			return notFound(err, "finding %d", findingID)
		}
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO dismissals (finding_id, reason, note, author_name, author_email, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, findingID, d.Reason, d.Note, d.Author.Name, d.Author.Email, s.now().UnixNano())
		return err
	})
	return patchID, err
}

// RestoreFinding undoes a dismissal and returns the patch it is on.
func (s *Store) RestoreFinding(ctx context.Context, findingID int64) (patchID int64, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT patch_id FROM findings WHERE id = ?`, findingID).Scan(&patchID); err != nil {
			return notFound(err, "finding %d", findingID)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM dismissals WHERE finding_id = ?`, findingID)
		return err
	})
	return patchID, err
}

// AddVerdict records a reviewer's verdict on a patch, or on the whole
// series when v.PatchID is 0; the same reviewer giving the same kind again
// replaces the note.
func (s *Store) AddVerdict(ctx context.Context, v review.Verdict) error {
	if !slices.Contains(review.VerdictKinds, v.Kind) {
		return fmt.Errorf("%w: verdict %q: want one of %s", review.ErrInvalid, v.Kind, strings.Join(review.VerdictKinds, ", "))
	}
	if v.Author.Email == "" || v.Author.Name == "" {
		return fmt.Errorf("%w: a verdict needs the reviewer's name and email", review.ErrInvalid)
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
		_, err := tx.ExecContext(ctx, `INSERT INTO verdicts (series_id, patch_id, kind, author_name, author_email, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (series_id, patch_id, author_email, kind) DO UPDATE SET note = excluded.note`,
			v.SeriesID, patch, v.Kind, v.Author.Name, v.Author.Email, v.Note, s.now().UnixNano())
		return err
	})
}

// Verdicts returns the verdicts that apply to a patch: its own and those
// given on its whole series. With patchID 0, those of the series only.
func (s *Store) Verdicts(ctx context.Context, seriesID, patchID int64) ([]review.Verdict, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, series_id, coalesce(patch_id, 0), kind, author_name, author_email, note, created_at
		FROM verdicts WHERE series_id = ? AND (patch_id IS NULL OR patch_id = ?) ORDER BY created_at, id`, seriesID, patchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []review.Verdict{}
	for rows.Next() {
		var v review.Verdict
		var created int64
		if err := rows.Scan(&v.ID, &v.SeriesID, &v.PatchID, &v.Kind, &v.Author.Name, &v.Author.Email, &v.Note, &created); err != nil {
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
