package storage

import (
	"context"
	"database/sql"
	"errors"

	"patchreview/review"
)

// anchorReply turns a list reply attached to a patch, code mail or cover
// letter into comments anchored on the lines it quotes, replacing those an
// earlier anchoring made, and collects the trailers it gives.
func anchorReply(ctx context.Context, tx *sql.Tx, replyID int64, m *review.Message) error {
	var parentRaw []byte
	var seriesID int64
	var parentKind string
	var patchID sql.NullInt64
	err := qRow(ctx, tx, `SELECT p.raw, p.kind, p.series_id, pa.id FROM messages r
		JOIN messages p ON p.id = r.parent_id LEFT JOIN patches pa ON pa.message_id = p.id
		WHERE r.id = ? AND p.series_id IS NOT NULL`, replyID).Scan(&parentRaw, &parentKind, &seriesID, &patchID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // not attached (yet)
	}
	if err != nil {
		return err
	}
	parent, err := parseStored(ctx, parentRaw)
	if err != nil {
		return nil // a parent that no longer parses: keep the reply as it is
	}
	var target []review.AnchorLine
	switch {
	case parent.Patch != nil:
		target = review.DiffTargets(parent.Patch.Files)
	case parent.Kind == review.KindCode:
		target = review.CodeTargets(review.BodyPath, parent.Body)
	}
	reply := review.ParseReply(m.Body)
	if _, err := qExec(ctx, tx, `DELETE FROM comments WHERE source = 'list' AND message_id = ?`, m.MessageID); err != nil {
		return err
	}
	var patch any
	if patchID.Valid {
		patch = patchID.Int64
	}
	for _, c := range review.Anchor(reply, target) {
		_, err := qExec(ctx, tx, `INSERT INTO comments (patch_id, series_id, source, message_id, author_name, author_email, path, line, side, code, body, created_at)
			VALUES (?, ?, 'list', ?, ?, ?, ?, ?, ?, ?, ?, ?)`, patch, seriesID, m.MessageID, m.From.Name, m.From.Email,
			c.Path, c.Line, sideValue(c.Side), c.Code, c.Body, m.Date.UnixNano())
		if err != nil {
			return err
		}
	}
	return collectTrailers(ctx, tx, reply.Trailers, m, seriesID, patchID, true)
}

// collectTrailers records trailers on the patch answered, or on every
// patch of the series when the reply answers the cover letter. A trailer
// naming someone other than the sender is recorded as not applied.
func collectTrailers(ctx context.Context, tx *sql.Tx, ts []review.Trailer, m *review.Message, seriesID int64, patchID sql.NullInt64, replace bool) error {
	if replace { // the reply is (re-)anchored: what it gave before goes
		if _, err := qExec(ctx, tx, `DELETE FROM collected_trailers WHERE message_id = ?`, m.MessageID); err != nil {
			return err
		}
	}
	for _, t := range ts {
		q := `INSERT INTO collected_trailers (patch_id, key, value, message_id, applied, sender) SELECT id, ?, ?, ?, ?, ? FROM patches WHERE series_id = ? AND kind = 'patch'`
		args := []any{t.Key, t.Value, m.MessageID, review.FromSender(t, m.From), m.From.String(), seriesID}
		if patchID.Valid {
			q, args = q+` AND id = ?`, append(args, patchID.Int64)
		}
		// the same trailer from its own person wins over another's
		q += ` ON CONFLICT (patch_id, key, value) DO UPDATE SET applied = 1, message_id = excluded.message_id, sender = excluded.sender
			WHERE excluded.applied AND NOT collected_trailers.applied`
		if _, err := qExec(ctx, tx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// collectedTrailers returns the trailers collected on a patch from replies.
func (s *Store) collectedTrailers(ctx context.Context, patchID int64) ([]review.Trailer, error) {
	// b4's order: the patch's own follow-ups, then the cover letter's
	rows, err := s.r.QueryContext(ctx, `SELECT t.key, t.value FROM collected_trailers t
		LEFT JOIN messages m ON m.message_id = t.message_id LEFT JOIN series s ON s.id = m.series_id
		WHERE t.patch_id = ? AND t.applied ORDER BY m.parent_id IS NOT NULL AND m.parent_id IS s.cover_id, t.rowid`, patchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []review.Trailer{}
	for rows.Next() {
		var t review.Trailer
		if err := rows.Scan(&t.Key, &t.Value); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// sideValue is the comments.side column value: "old" or "new".
func sideValue(side string) string {
	if side == review.SideOld {
		return review.SideOld
	}
	return "new"
}

// NotApplied is a trailer a reply gave that names someone other than its
// sender: shown, never applied.
type NotApplied struct {
	review.Trailer
	Sender string `json:"sender"`
}

// notAppliedTrailers returns the trailers of replies to a patch that were
// not applied because they do not name the sender.
func (s *Store) notAppliedTrailers(ctx context.Context, patchID int64) ([]NotApplied, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT key, value, sender FROM collected_trailers WHERE patch_id = ? AND NOT applied ORDER BY rowid`, patchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NotApplied
	for rows.Next() {
		var t NotApplied
		if err := rows.Scan(&t.Key, &t.Value, &t.Sender); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
