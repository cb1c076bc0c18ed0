package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"patchreview/review"
)

// txIndex implements review.ThreadIndex inside a transaction.
type txIndex struct {
	ctx context.Context
	tx  *sql.Tx
}

func (x txIndex) seriesInfo(rows *sql.Rows, err error) ([]review.SeriesInfo, error) {
	if err != nil {
		return nil, err
	}
	var ids []int64
	var out []review.SeriesInfo
	for rows.Next() {
		var si review.SeriesInfo
		var cover sql.NullInt64
		var created int64
		if err := rows.Scan(&si.ID, &si.Version, &si.Total, &cover, &si.Author, &created); err != nil {
			rows.Close()
			return nil, err
		}
		si.HasCover = cover.Valid
		si.Created = time.Unix(0, created)
		out = append(out, si)
		ids = append(ids, si.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Numbers = map[int]bool{}
		nrows, err := qQuery(x.ctx, x.tx, `SELECT number FROM patches WHERE series_id = ?`, ids[i])
		if err != nil {
			return nil, err
		}
		for nrows.Next() {
			var n int
			nrows.Scan(&n)
			out[i].Numbers[n] = true
		}
		nrows.Close()
	}
	return out, nil
}

const seriesCols = `s.id, s.version, s.total, s.cover_id, s.author_email, s.created_at`

func (x txIndex) SeriesByRef(ref string) ([]review.SeriesInfo, error) {
	return x.seriesInfo(qQuery(x.ctx, x.tx, `SELECT `+seriesCols+` FROM series s
		JOIN series_refs r ON r.series_id = s.id WHERE r.ref = ? ORDER BY s.id`, ref))
}

func (x txIndex) RecentSeries(author string, since time.Time) ([]review.SeriesInfo, error) {
	return x.seriesInfo(qQuery(x.ctx, x.tx, `SELECT `+seriesCols+` FROM series s
		WHERE s.author_email = ? AND s.created_at >= ? ORDER BY s.id DESC`, author, since.UnixNano()))
}

func (x txIndex) PreviousVersion(author string, titles []string, version int) (int64, error) {
	var id int64
	for _, t := range titles {
		err := qRow(x.ctx, x.tx, `SELECT s.id FROM series s WHERE s.author_email = ? AND s.version < ?
			AND (lower(s.title) = lower(?) OR EXISTS (SELECT 1 FROM patches p WHERE p.series_id = s.id AND lower(p.title) = lower(?)))
			ORDER BY s.version DESC, s.id DESC LIMIT 1`, author, version, t, t).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	return 0, nil
}

// storeSeriesMember places a patch, cover letter or code mail in a series
// and stores its patch row and findings. Replies that arrived before it
// and answer it are attached to it.
func (s *Store) storeSeriesMember(ctx context.Context, tx *sql.Tx, id int64, m *review.Message, findings []review.Finding) (int64, error) {
	var pl review.Placement
	var err error
	if m.Kind == review.KindPatch || m.Kind == review.KindCover {
		if pl, err = review.PlaceInSeries(m, txIndex{ctx, tx}); err != nil {
			return 0, err
		}
	}
	seriesID := pl.SeriesID
	now := s.now().UnixNano()
	if seriesID == 0 {
		var prev any
		if pl.PrevVersion != 0 {
			prev = pl.PrevVersion
		}
		err = qRow(ctx, tx, `INSERT INTO series (title, author_name, author_email, version, total, prev_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, seriesTitle(m), m.From.Name, m.From.Email,
			m.Subject.Version, m.Subject.Total, prev, m.Date.UnixNano(), now).Scan(&seriesID)
		if err != nil {
			return 0, err
		}
	} else if _, err = qExec(ctx, tx, `UPDATE series SET updated_at = ? WHERE id = ?`, now, seriesID); err != nil {
		return 0, err
	} else if err = linkPreviousVersion(ctx, tx, seriesID, m); err != nil {
		return 0, err
	}
	for _, ref := range append([]string{m.MessageID, m.InReplyTo}, m.References...) {
		if ref != "" {
			if _, err := qExec(ctx, tx, `INSERT OR IGNORE INTO series_refs (ref, series_id) VALUES (?, ?)`, ref, seriesID); err != nil {
				return 0, err
			}
		}
	}
	if _, err := qExec(ctx, tx, `UPDATE messages SET series_id = ? WHERE id = ?`, seriesID, id); err != nil {
		return 0, err
	}
	if m.Kind == review.KindCover || m.Kind == review.KindPull && m.Patch == nil {
		_, err = qExec(ctx, tx, `UPDATE series SET cover_id = ?, title = ? WHERE id = ?`, id, seriesTitle(m), seriesID)
	} else {
		err = insertPatch(ctx, tx, seriesID, id, m, findings)
	}
	if err != nil {
		return 0, err
	}
	return seriesID, adoptOrphans(ctx, tx, id, m.MessageID)
}

// linkPreviousVersion links a series that has no previous version yet to
// one that a later member's title matches (a v2 cover letter's title often
// differs from v1's patch titles).
func linkPreviousVersion(ctx context.Context, tx *sql.Tx, seriesID int64, m *review.Message) error {
	var prev sql.NullInt64
	var version int
	if err := qRow(ctx, tx, `SELECT prev_id, version FROM series WHERE id = ?`, seriesID).Scan(&prev, &version); err != nil {
		return err
	}
	if prev.Valid || version < 2 {
		return nil
	}
	id, err := txIndex{ctx, tx}.PreviousVersion(m.From.Email, []string{m.Subject.Title}, version)
	if err != nil || id == 0 {
		return err
	}
	_, err = qExec(ctx, tx, `UPDATE series SET prev_id = ? WHERE id = ?`, id, seriesID)
	return err
}

// seriesTitle is a series' name: the cover letter's title, else the patch's.
func seriesTitle(m *review.Message) string {
	if t := strings.TrimSpace(m.Subject.Title); t != "" {
		return t
	}
	return "(no subject)"
}

func insertPatch(ctx context.Context, tx *sql.Tx, seriesID, msgID int64, m *review.Message, findings []review.Finding) error {
	kind, diff := "code", ""
	if m.Patch != nil {
		kind, diff = "patch", m.Patch.Diff
	}
	var patchID int64
	err := qRow(ctx, tx, `INSERT INTO patches (series_id, message_id, number, title, kind, diff)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, seriesID, msgID, m.Subject.Number, seriesTitle(m), kind, diff).Scan(&patchID)
	if err != nil {
		return err
	}
	for _, f := range findings {
		_, err := qExec(ctx, tx, `INSERT INTO findings (patch_id, rule, severity, path, line, function, code, message)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, patchID, f.Rule, f.Severity, f.Path, f.Line, f.Function, f.Code, f.Message)
		if err != nil {
			return err
		}
	}
	return nil
}

// attachReply links a reply to the nearest patch, cover or code mail it
// answers: its In-Reply-To, then its References from the newest.
func attachReply(ctx context.Context, tx *sql.Tx, id int64, m *review.Message) error {
	refs := append([]string{m.InReplyTo}, reversedRefs(m.References)...)
	for _, ref := range refs {
		if ref == "" {
			continue
		}
		var parent int64
		var series sql.NullInt64
		err := qRow(ctx, tx, `SELECT id, series_id FROM messages WHERE message_id = ? AND kind IN ('patch', 'cover', 'code', 'pull')`, ref).Scan(&parent, &series)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		if _, err = qExec(ctx, tx, `UPDATE messages SET parent_id = ?, series_id = ? WHERE id = ?`, parent, series, id); err != nil {
			return err
		}
		return anchorReply(ctx, tx, id, m)
	}
	return nil
}

// adoptOrphans attaches replies stored before the message they answer:
// those attached to nothing yet that reference it, and those that answer it
// directly (In-Reply-To) but were attached to an ancestor meanwhile.
func adoptOrphans(ctx context.Context, tx *sql.Tx, id int64, messageID string) error {
	rows, err := qQuery(ctx, tx, `UPDATE messages SET parent_id = ?1, series_id = (SELECT series_id FROM messages WHERE id = ?1)
		WHERE kind IN ('reply', 'other') AND id != ?1 AND (in_reply_to = ?2
			OR parent_id IS NULL AND id IN (SELECT message FROM message_refs WHERE ref = ?2)) RETURNING id, raw`, id, messageID)
	if err != nil {
		return err
	}
	type adopted struct {
		id  int64
		raw []byte
	}
	var all []adopted
	for rows.Next() {
		var a adopted
		if err := rows.Scan(&a.id, &a.raw); err != nil {
			rows.Close()
			return err
		}
		all = append(all, a)
	}
	rows.Close()
	for _, a := range all {
		if m, err := review.ParseMessage(a.raw); err == nil {
			if err := anchorReply(ctx, tx, a.id, m); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}

func reversedRefs(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}
