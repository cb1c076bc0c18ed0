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
	var ids, covers []int64
	var out []review.SeriesInfo
	for rows.Next() {
		var si review.SeriesInfo
		var cover sql.NullInt64
		var created int64
		if err := rows.Scan(&si.ID, &si.Version, &si.Total, &cover, &si.Author, &created, &si.Tags, &si.List); err != nil {
			rows.Close()
			return nil, err
		}
		si.HasCover = cover.Valid
		si.Created = time.Unix(0, created)
		out = append(out, si)
		ids = append(ids, si.ID)
		covers = append(covers, cover.Int64)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Numbers = map[int]bool{}
		out[i].Answers = map[string]bool{}
		nrows, err := qQuery(x.ctx, x.tx, `SELECT p.number, m.in_reply_to FROM patches p JOIN messages m ON m.id = p.message_id WHERE p.series_id = ?`, ids[i])
		if err != nil {
			return nil, err
		}
		for nrows.Next() {
			var n int
			var irt string
			if err := nrows.Scan(&n, &irt); err != nil {
				nrows.Close()
				return nil, err
			}
			out[i].Numbers[n] = true
			if irt != "" {
				out[i].Answers[irt] = true
			}
		}
		nrows.Close()
		if err := nrows.Err(); err != nil {
			return nil, err
		}
		if out[i].HasCover {
			if err := qRow(x.ctx, x.tx, `SELECT message_id FROM messages WHERE id = ?`, covers[i]).Scan(&out[i].Cover); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

const seriesCols = `s.id, s.version, s.total, s.cover_id, s.author_email, s.created_at, s.tags, s.list`

func (x txIndex) SeriesByRef(ref string) ([]review.SeriesInfo, error) {
	return x.seriesInfo(qQuery(x.ctx, x.tx, `SELECT `+seriesCols+` FROM series s
		JOIN series_refs r ON r.series_id = s.id WHERE r.ref = ? ORDER BY s.id`, ref))
}

// RecentSeries reads the author's series of that time only (the index on
// author and date): with no upper bound it read all the author's later
// series too, for each unthreaded patch of an archive imported into a
// database that already held the years after it.
func (x txIndex) RecentSeries(author string, from, to time.Time) ([]review.SeriesInfo, error) {
	return x.seriesInfo(qQuery(x.ctx, x.tx, `SELECT `+seriesCols+` FROM series s
		WHERE s.author_email = ? AND s.created_at BETWEEN ? AND ? ORDER BY s.id DESC`, author, from.UnixNano(), to.UnixNano()))
}

func (x txIndex) PreviousVersion(author string, titles []string, version int) (int64, error) {
	for _, t := range titles {
		id, err := titledSeries(x.ctx, x.tx, previousVersionSQL, author, t, version)
		if id != 0 || err != nil {
			return id, err
		}
	}
	return 0, nil
}

// titledSQL is the SQL of an author's series (?1) whose title, or one of
// whose patches' titles, is ?2 (case-folded), that are no resend, and
// that pass where (on t, the series; its arguments numbered from ?3), the
// first in order. It reads the author's series and patch titles of that
// title (the index on series(author_email, lower(title)) and the table
// patch_titles, migrations 0014 and 0015), never the author's whole history nor
// every patch of that title whoever sent it. A scan of the author's series
// made every new series cost more than the last: thousands of series each
// for linux-mm's busiest senders.
func titledSQL(where, order string) string {
	const cols = `s.id, s.version, s.total, s.created_at, s.title, s.tags, s.resend_of`
	return `SELECT t.id FROM (
		SELECT ` + cols + ` FROM series s WHERE s.author_email = ?1 AND lower(s.title) = lower(?2)
		UNION SELECT ` + cols + ` FROM patch_titles pt JOIN series s ON s.id = pt.series_id WHERE pt.author_email = ?1 AND pt.title = lower(?2)
	) t WHERE t.resend_of IS NULL AND ` + where + ` ORDER BY ` + order + ` LIMIT 1`
}

var (
	// the newest earlier version: version (?3) below
	previousVersionSQL = titledSQL(`t.version < ?3`, `t.version DESC, t.id DESC`)
	// linkResend's original: the same version (?3), not the series itself
	// (?4), not a resend
	resendOrigSQL = titledSQL(`t.version = ?3 AND t.id != ?4 AND (' ' || t.tags || ' ') NOT LIKE '% resend %'`, `t.id`)
	// linkResend's original of a repost: the series title itself (no
	// patch's), the same version (?3) and count (?5), sent before ?6.
	// The unary + keeps SQLite off the index on the date: by it, it read
	// all the author's series sent before ?6.
	repostOrigSQL = `SELECT s.id FROM series s WHERE s.author_email = ?1 AND lower(s.title) = lower(?2) AND s.resend_of IS NULL
		AND s.version = ?3 AND s.id != ?4 AND (' ' || s.tags || ' ') NOT LIKE '% resend %' AND s.total = ?5 AND +s.created_at < ?6
		ORDER BY s.id LIMIT 1`
)

// titledSeries runs one of the titledSQL queries: the series' id, or 0.
func titledSeries(ctx context.Context, tx *sql.Tx, q, author, title string, args ...any) (int64, error) {
	var id int64
	err := qRow(ctx, tx, q, append([]any{author, title}, args...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// storeSeriesMember places a patch, cover letter or code mail in a series
// and stores its patch row and findings. Replies that arrived before it
// and answer it are attached to it.
func (s *Store) storeSeriesMember(ctx context.Context, tx *sql.Tx, id int64, m *review.Message, findings []review.Finding) (int64, error) {
	if m.Kind == review.KindCode && m.Subject.IsReply {
		// Code pasted in a reply to a patch is a comment on that patch;
		// in a reply to a discussion (a bug report) it is code to check.
		parent, err := answeredMember(ctx, tx, m)
		if err != nil {
			return 0, err
		}
		if parent != 0 {
			if _, err := qExec(ctx, tx, `UPDATE messages SET kind = 'reply' WHERE id = ?`, id); err != nil {
				return 0, err
			}
			return 0, attachReply(ctx, tx, id, m)
		}
	}
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
			// a later version answering a resend revises the original
			var orig int64
			if err := qRow(ctx, tx, `SELECT coalesce(resend_of, id) FROM series WHERE id = ?`, pl.PrevVersion).Scan(&orig); err != nil {
				return 0, err
			}
			prev = orig
		}
		err = qRow(ctx, tx, `INSERT INTO series (title, author_name, author_email, version, version_suffix, total, prev_id, created_at, updated_at, tags, list)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, seriesTitle(m), m.From.Name, m.From.Email,
			m.Subject.Version, m.Subject.VersionSuffix, m.Subject.Total, prev, m.Date.UnixNano(), now, review.TagKey(m.Subject), m.ListID).Scan(&seriesID)
		if err != nil {
			return 0, err
		}
		if err = linkResend(ctx, tx, seriesID, m); err != nil {
			return 0, err
		}
	} else if _, err = qExec(ctx, tx, `UPDATE series SET updated_at = ? WHERE id = ?`, now, seriesID); err != nil {
		return 0, err
	} else if err = coverVersion(ctx, tx, seriesID, m); err != nil {
		return 0, err
	} else if err = linkResend(ctx, tx, seriesID, m); err != nil {
		return 0, err
	} else if err = linkPreviousVersion(ctx, tx, seriesID, m); err != nil {
		return 0, err
	}
	for _, ref := range append([]string{m.MessageID, m.InReplyTo}, m.References...) {
		if ref != "" {
			if _, err := qExec(ctx, tx, `INSERT INTO series_refs (ref, series_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, ref, seriesID); err != nil {
				return 0, err
			}
		}
	}
	if _, err := qExec(ctx, tx, `UPDATE messages SET series_id = ? WHERE id = ?`, seriesID, id); err != nil {
		return 0, err
	}
	if m.Kind == review.KindCover || m.Kind == review.KindPull && m.Patch == nil {
		_, err = qExec(ctx, tx, `UPDATE series SET cover_id = ?, title = ? WHERE id = ?`, id, seriesTitle(m), seriesID)
		if err == nil {
			err = linkByChangeID(ctx, tx, seriesID, review.ChangeID(m.Body))
		}
	} else {
		err = insertPatch(ctx, tx, seriesID, id, m, findings)
		if err == nil && m.Subject.Number == 1 {
			// without a cover letter a series is named after its patch 1,
			// not after whichever patch arrived first
			_, err = qExec(ctx, tx, `UPDATE series SET title = ? WHERE id = ? AND cover_id IS NULL`, seriesTitle(m), seriesID)
		}
	}
	if err != nil {
		return 0, err
	}
	if m.Kind == review.KindPatch {
		// a patch under a naked cover letter gives the series its n/N
		if m.Subject.Total > 0 {
			if _, err := qExec(ctx, tx, `UPDATE series SET total = ?, version = ? WHERE id = ? AND total = 0`, m.Subject.Total, m.Subject.Version, seriesID); err != nil {
				return 0, err
			}
		}
		if err := claimNakedCover(ctx, tx, seriesID, m); err != nil {
			return 0, err
		}
		if err := coverTrailersToPatch(ctx, tx, seriesID, id); err != nil {
			return 0, err
		}
	}
	if err := claimVersionReplies(ctx, tx, id, m); err != nil {
		return 0, err
	}
	return seriesID, adoptOrphans(ctx, tx, id, m.MessageID, 0)
}

// coverVersion gives a series that a versioned cover letter joins the
// cover's version: its patches, sent before it in reply to it, may carry
// no version ("[PATCH RFC v5 00/29]" answered by "[PATCH 01/29]").
func coverVersion(ctx context.Context, tx *sql.Tx, seriesID int64, m *review.Message) error {
	if m.Kind != review.KindCover || !m.Subject.Versioned {
		return nil
	}
	_, err := qExec(ctx, tx, `UPDATE series SET version = ?, version_suffix = ?, total = CASE WHEN total = 0 THEN ? ELSE total END
		WHERE id = ? AND (version != ? OR version_suffix != ?)`,
		m.Subject.Version, m.Subject.VersionSuffix, m.Subject.Total, seriesID, m.Subject.Version, m.Subject.VersionSuffix)
	return err
}

// claimNakedCover makes the mail a numbered patch answers its series'
// cover letter when that mail is a plain one ("fiemap cleanups v4", no
// [PATCH 0/N]) by the same author, stored before the patch, in no series.
func claimNakedCover(ctx context.Context, tx *sql.Tx, seriesID int64, m *review.Message) error {
	if m.InReplyTo == "" {
		return nil
	}
	var coverID int64
	var subject string
	err := qRow(ctx, tx, `SELECT id, subject FROM messages WHERE message_id = ? AND kind = 'other' AND series_id IS NULL
		AND lower(from_email) = lower(?) AND NOT EXISTS (SELECT 1 FROM series WHERE id = ? AND cover_id IS NOT NULL)`,
		m.InReplyTo, m.From.Email, seriesID).Scan(&coverID, &subject)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return makeCover(ctx, tx, seriesID, coverID, m.InReplyTo, review.ParseSubject(subject))
}

// makeCover turns a stored plain mail into a series' cover letter and
// attaches the replies it had.
func makeCover(ctx context.Context, tx *sql.Tx, seriesID, coverID int64, messageID string, subj review.Subject) error {
	title := strings.TrimSpace(subj.Title)
	if title == "" {
		title = "(no subject)"
	}
	if _, err := qExec(ctx, tx, `UPDATE messages SET kind = 'cover', series_id = ? WHERE id = ?`, seriesID, coverID); err != nil {
		return err
	}
	if _, err := qExec(ctx, tx, `UPDATE series SET cover_id = ?, title = ? WHERE id = ?`, coverID, title, seriesID); err != nil {
		return err
	}
	if _, err := qExec(ctx, tx, `INSERT INTO series_refs (ref, series_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, messageID, seriesID); err != nil {
		return err
	}
	return adoptOrphans(ctx, tx, coverID, messageID, 0)
}

// claimSeriesAsNakedCover makes a plain mail (not a reply) that arrives
// after the numbered patches answering it their series' cover letter.
// It reports whether it did.
func claimSeriesAsNakedCover(ctx context.Context, tx *sql.Tx, id int64, m *review.Message) (bool, error) {
	var seriesID int64
	err := qRow(ctx, tx, `SELECT s.id FROM series s JOIN series_refs r ON r.series_id = s.id
		WHERE r.ref = ? AND s.cover_id IS NULL AND lower(s.author_email) = lower(?) ORDER BY s.id LIMIT 1`, m.MessageID, m.From.Email).Scan(&seriesID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, makeCover(ctx, tx, seriesID, id, m.MessageID, m.Subject)
}

// coverTrailersToPatch gives a patch that joins a series the trailers
// already collected from replies to its cover letter.
func coverTrailersToPatch(ctx context.Context, tx *sql.Tx, seriesID, msgID int64) error {
	rows, err := qQuery(ctx, tx, `SELECT r.raw FROM series s JOIN messages r ON r.parent_id = s.cover_id WHERE s.id = ?`, seriesID)
	if err != nil {
		return err
	}
	var raws [][]byte
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			rows.Close()
			return err
		}
		raws = append(raws, raw)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(raws) == 0 {
		return err
	}
	var patchID int64
	if err := qRow(ctx, tx, `SELECT id FROM patches WHERE message_id = ?`, msgID).Scan(&patchID); err != nil {
		return err
	}
	for _, raw := range raws {
		if r, err := parseStored(ctx, raw); err == nil {
			if err := collectTrailers(ctx, tx, review.ParseReply(r.Body).Trailers, r, seriesID, sql.NullInt64{Int64: patchID, Valid: true}, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// linkByChangeID records a cover letter's change-id on its series and, as
// b4 does before comparing subjects, links the series to the newest lower
// version of the same change (and a later version without a link to it).
func linkByChangeID(ctx context.Context, tx *sql.Tx, seriesID int64, changeID string) error {
	if changeID == "" {
		return nil
	}
	var version int
	var resend bool
	if err := qRow(ctx, tx, `UPDATE series SET change_id = ? WHERE id = ? RETURNING version, resend_of IS NOT NULL`, changeID, seriesID).Scan(&version, &resend); err != nil {
		return err
	}
	if resend {
		return nil // beside its original, not in the chain
	}
	var prev int64
	err := qRow(ctx, tx, `SELECT id FROM series WHERE change_id = ? AND id != ? AND version < ? AND resend_of IS NULL ORDER BY version DESC, id DESC LIMIT 1`,
		changeID, seriesID, version).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if prev != 0 {
		// versions in between that carry no change-id follow the chain
		for i := 0; i < maxChain; i++ {
			var next int64
			err := qRow(ctx, tx, `SELECT id FROM series WHERE prev_id = ? AND id != ? AND version < ? AND resend_of IS NULL ORDER BY version DESC, id DESC LIMIT 1`,
				prev, seriesID, version).Scan(&next)
			if errors.Is(err, sql.ErrNoRows) {
				break
			}
			if err != nil {
				return err
			}
			prev = next
		}
		if _, err := qExec(ctx, tx, `UPDATE series SET prev_id = ? WHERE id = ?`, prev, seriesID); err != nil {
			return err
		}
	}
	_, err = qExec(ctx, tx, `UPDATE series SET prev_id = ? WHERE id = (SELECT id FROM series WHERE change_id = ? AND id != ?
		AND version > ? AND prev_id IS NULL AND resend_of IS NULL ORDER BY version, id LIMIT 1)`, seriesID, changeID, seriesID, version)
	return err
}

// SeriesVersion is one version in a series' chain of versions.
type SeriesVersion struct {
	ID      int64
	Version int
	Title   string
	Current bool // the series the chain was asked for
	// Resends are the "[PATCH RESEND]" series of this version, oldest first.
	Resends []SeriesVersion
}

// VersionChain returns the versions of a series, oldest first: back
// through its previous versions, then forward through the series that
// name it (each time the highest version).
func (s *Store) VersionChain(ctx context.Context, seriesID int64) ([]SeriesVersion, error) {
	get := func(q string, arg int64) (SeriesVersion, sql.NullInt64, error) {
		var v SeriesVersion
		var prev sql.NullInt64
		err := s.r.QueryRowContext(ctx, q, arg).Scan(&v.ID, &v.Version, &v.Title, &prev)
		return v, prev, err
	}
	// a resend's chain is its original's, with the resend beside it
	var start int64
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce(resend_of, id) FROM series WHERE id = ?`, seriesID).Scan(&start); err != nil {
		return nil, notFound(err, "series %d", seriesID)
	}
	cur, prev, err := get(`SELECT id, version, title, prev_id FROM series WHERE id = ?`, start)
	if err != nil {
		return nil, notFound(err, "series %d", seriesID)
	}
	cur.Current = start == seriesID
	chain := []SeriesVersion{cur}
	seen := map[int64]bool{cur.ID: true}
	for i := 0; i < maxChain && prev.Valid && !seen[prev.Int64]; i++ {
		var v SeriesVersion
		if v, prev, err = get(`SELECT id, version, title, prev_id FROM series WHERE id = ?`, prev.Int64); err != nil {
			return nil, err
		}
		seen[v.ID] = true
		chain = append([]SeriesVersion{v}, chain...)
	}
	for i, at := 0, cur.ID; i < maxChain; i++ {
		v, _, err := get(`SELECT id, version, title, prev_id FROM series WHERE prev_id = ? AND resend_of IS NULL ORDER BY version DESC, id DESC LIMIT 1`, at)
		if errors.Is(err, sql.ErrNoRows) || seen[v.ID] {
			break
		}
		if err != nil {
			return nil, err
		}
		seen[v.ID] = true
		chain = append(chain, v)
		at = v.ID
	}
	for i := range chain {
		rows, err := s.r.QueryContext(ctx, `SELECT id, version, title FROM series WHERE resend_of = ? ORDER BY id`, chain[i].ID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r SeriesVersion
			if err := rows.Scan(&r.ID, &r.Version, &r.Title); err != nil {
				rows.Close()
				return nil, err
			}
			r.Current = r.ID == seriesID
			chain[i].Resends = append(chain[i].Resends, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return chain, nil
}

// linkPreviousVersion links a series that has no previous version yet to
// one that a later member's title matches (a v2 cover letter's title often
// differs from v1's patch titles).
func linkPreviousVersion(ctx context.Context, tx *sql.Tx, seriesID int64, m *review.Message) error {
	var prev, resendOf sql.NullInt64
	var version int
	if err := qRow(ctx, tx, `SELECT prev_id, resend_of, version FROM series WHERE id = ?`, seriesID).Scan(&prev, &resendOf, &version); err != nil {
		return err
	}
	if prev.Valid || resendOf.Valid || version < 2 {
		return nil
	}
	id, err := txIndex{ctx, tx}.PreviousVersion(m.From.Email, []string{m.Subject.Title}, version)
	if err != nil || id == 0 {
		return err
	}
	_, err = qExec(ctx, tx, `UPDATE series SET prev_id = ? WHERE id = ?`, id, seriesID)
	return err
}

// linkResend marks a "[PATCH RESEND vN]" series as a resend of the same
// author's vN series with a title in common (the earliest that is not a
// resend itself): the resend leaves the chain of versions, so that vN+1
// still revises the original. A resend without its original stays a
// version of its own.
//
// A repost without RESEND (the same unversioned series posted again days
// later, same author, version, count and title) is linked the same way,
// when the original was sent more than a day before (not the same
// sending) and the repost is not its original's later version already.
func linkResend(ctx context.Context, tx *sql.Tx, seriesID int64, m *review.Message) error {
	resend := m.Subject.HasTag("RESEND")
	if !resend && (m.Subject.Versioned || m.Kind != review.KindCover && m.Subject.Number > 1) {
		return nil // a repost is recognised by its cover, or its patch 1
	}
	var resendOf, prev sql.NullInt64
	var version, total int
	var author, title string
	var created int64
	if err := qRow(ctx, tx, `SELECT resend_of, prev_id, version, total, author_email, title, created_at FROM series WHERE id = ?`, seriesID).
		Scan(&resendOf, &prev, &version, &total, &author, &title, &created); err != nil {
		return err
	}
	if resendOf.Valid || !resend && (prev.Valid || version != 1) {
		return nil
	}
	var orig int64
	var err error
	if resend {
		for _, t := range []string{title, m.Subject.Title} {
			if orig, err = titledSeries(ctx, tx, resendOrigSQL, author, t, version, seriesID); orig != 0 || err != nil {
				break
			}
		}
	} else {
		// a repost: same count and series title, sent more than a day
		// after the original (a patch title in common is not enough:
		// naked cover letters "things v2", "things v3" carry the
		// version in the title)
		t := title
		if m.Kind == review.KindCover {
			t = m.Subject.Title
		}
		orig, err = titledSeries(ctx, tx, repostOrigSQL, author, t, version, seriesID, total, created-int64(unthreadedGap))
	}
	if orig == 0 || err != nil {
		return err
	}
	if _, err := qExec(ctx, tx, `UPDATE series SET resend_of = ?, prev_id = NULL WHERE id = ?`, orig, seriesID); err != nil {
		return err
	}
	// a later version already linked to the resend revises the original
	_, err = qExec(ctx, tx, `UPDATE series SET prev_id = ? WHERE prev_id = ?`, orig, seriesID)
	return err
}

// unthreadedGap is how much later than its original a repost without
// RESEND must come to be one (not a part of the same sending).
const unthreadedGap = 24 * time.Hour

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
	// the patch's title under its series' author, for titledSQL
	_, err = qExec(ctx, tx, `INSERT OR IGNORE INTO patch_titles (author_email, title, series_id)
		SELECT author_email, lower(?), id FROM series WHERE id = ?`, seriesTitle(m), seriesID)
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
// answers: up its In-Reply-To chain through the stored replies (a reply to
// a reply answers the same patch, and real replies often truncate or omit
// References), then through its References from the newest. Replies that
// arrived before it and answer it are attached with it.
func attachReply(ctx context.Context, tx *sql.Tx, id int64, m *review.Message) error {
	if m.Kind == review.KindOther && !m.Subject.IsReply {
		if claimed, err := claimSeriesAsNakedCover(ctx, tx, id, m); err != nil || claimed {
			return err
		}
	}
	parent, err := answeredMember(ctx, tx, m)
	if err != nil || parent == 0 {
		return err
	}
	if _, err = qExec(ctx, tx, `UPDATE messages SET parent_id = ?1, series_id = (SELECT series_id FROM messages WHERE id = ?1) WHERE id = ?2`, parent, id); err != nil {
		return err
	}
	if err := anchorReply(ctx, tx, id, m); err != nil {
		return err
	}
	return adoptOrphans(ctx, tx, parent, m.MessageID, 0)
}

// maxChain bounds how far up a chain of replies threading walks.
const maxChain = 64

// answeredMember returns the row id of the series member (patch, cover,
// code mail, pull request) a reply answers, or 0 when none is stored yet.
func answeredMember(ctx context.Context, tx *sql.Tx, m *review.Message) (int64, error) {
	seen := map[string]bool{m.MessageID: true}
	// In-Reply-To, then the In-Reply-To of that reply, and so on.
	ref := m.InReplyTo
	for i := 0; i < maxChain && ref != "" && !seen[ref]; i++ {
		seen[ref] = true
		id, parent, next, member, err := lookupRef(ctx, tx, ref)
		if err != nil || id == 0 {
			if err != nil {
				return 0, err
			}
			break
		}
		if member {
			return copyForVersion(ctx, tx, id, m.Subject)
		}
		if parent.Valid {
			return parent.Int64, nil
		}
		ref = next
	}
	for _, ref := range reversedRefs(m.References) {
		if ref == "" || ref == m.MessageID {
			continue
		}
		id, parent, _, member, err := lookupRef(ctx, tx, ref)
		if err != nil {
			return 0, err
		}
		if member {
			return copyForVersion(ctx, tx, id, m.Subject)
		}
		if parent.Valid {
			return parent.Int64, nil
		}
	}
	return 0, nil
}

// copyForVersion returns which of the stored mails that share member's
// Message-ID (member, and the later ones stored with dup_of member) a reply
// answers: the one whose subject's title is the reply's, and among those
// (or when none is) the one with the version the reply names ("Re: [PATCH
// v4 0/29]" answering a v4 cover sent with the v3's id); member when
// nothing tells them apart.
func copyForVersion(ctx context.Context, tx *sql.Tx, member int64, subj review.Subject) (int64, error) {
	rows, err := qQuery(ctx, tx, `SELECT id, subject FROM messages WHERE id = ?1
		UNION ALL SELECT id, subject FROM messages WHERE dup_of = ?1 AND series_id IS NOT NULL
		AND kind IN ('patch', 'cover', 'code', 'pull') ORDER BY id`, member)
	if err != nil {
		return 0, err
	}
	best, bestScore, n := member, -1, 0
	for rows.Next() {
		var id int64
		var subject string
		if err := rows.Scan(&id, &subject); err != nil {
			rows.Close()
			return 0, err
		}
		n++
		s := review.ParseSubject(subject)
		score := 0
		if subj.Title != "" && strings.EqualFold(s.Title, subj.Title) {
			score += 2
		}
		if subj.Versioned && s.Version == subj.Version {
			score++
		}
		if score > bestScore { // ties keep the earlier, member first
			best, bestScore = id, score
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || n < 2 {
		return member, err
	}
	return best, nil
}

// claimVersionReplies gives a mail that reuses another's Message-ID
// (stored as copy, dup_of first) the replies stored before it that answer
// that id and name its version, not the first's.
func claimVersionReplies(ctx context.Context, tx *sql.Tx, copyID int64, m *review.Message) error {
	if !m.Subject.Versioned {
		return nil
	}
	var first sql.NullInt64
	var firstID, firstSubject string
	err := qRow(ctx, tx, `SELECT c.dup_of, f.message_id, f.subject FROM messages c JOIN messages f ON f.id = c.dup_of WHERE c.id = ?`, copyID).
		Scan(&first, &firstID, &firstSubject)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil || review.ParseSubject(firstSubject).Version == m.Subject.Version {
		return err
	}
	rows, err := qQuery(ctx, tx, `SELECT id, message_id, subject, raw FROM messages WHERE in_reply_to = ? AND kind IN ('reply', 'other')`, firstID)
	if err != nil {
		return err
	}
	type reply struct {
		id    int64
		msgID string
		raw   []byte
	}
	var claim []reply
	for rows.Next() {
		var r reply
		var subject string
		if err := rows.Scan(&r.id, &r.msgID, &subject, &r.raw); err != nil {
			rows.Close()
			return err
		}
		if sub := review.ParseSubject(subject); sub.Versioned && sub.Version == m.Subject.Version {
			claim = append(claim, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range claim {
		if _, err := qExec(ctx, tx, `UPDATE messages SET parent_id = ?1, series_id = (SELECT series_id FROM messages WHERE id = ?1) WHERE id = ?2`, copyID, r.id); err != nil {
			return err
		}
		if rm, err := parseStored(ctx, r.raw); err == nil {
			if err := anchorReply(ctx, tx, r.id, rm); err != nil {
				return err
			}
		}
		// the replies to the reply follow it
		if err := adoptOrphans(ctx, tx, copyID, r.msgID, 1); err != nil {
			return err
		}
	}
	return nil
}

// lookupRef finds a stored message by Message-ID: its row, its parent,
// what it answers, and whether it is a series member.
func lookupRef(ctx context.Context, tx *sql.Tx, ref string) (id int64, parent sql.NullInt64, inReplyTo string, member bool, err error) {
	var kind string
	var series sql.NullInt64
	err = qRow(ctx, tx, `SELECT id, parent_id, in_reply_to, kind, series_id FROM messages WHERE message_id = ?`, ref).
		Scan(&id, &parent, &inReplyTo, &kind, &series)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, parent, "", false, nil
	}
	switch kind {
	case "patch", "cover", "code", "pull":
		member = series.Valid
	}
	return id, parent, inReplyTo, member, err
}

// adoptOrphans attaches to member the replies stored before the message
// answered (messageID) arrived: those that answer it directly
// (In-Reply-To; re-attached even when an ancestor took them meanwhile),
// those attached to nothing that reference it, and, down the chain, the
// replies to each reply adopted. Every lookup is by index.
func adoptOrphans(ctx context.Context, tx *sql.Tx, member int64, messageID string, depth int) error {
	if depth > maxChain {
		return nil
	}
	type adopted struct {
		id  int64
		raw []byte
	}
	var all []adopted
	for _, q := range []string{
		`UPDATE messages SET parent_id = ?1, series_id = (SELECT series_id FROM messages WHERE id = ?1)
			WHERE in_reply_to = ?2 AND kind IN ('reply', 'other') AND id != ?1 AND parent_id IS NOT ?1 RETURNING id, raw`,
		`UPDATE messages SET parent_id = ?1, series_id = (SELECT series_id FROM messages WHERE id = ?1)
			WHERE id IN (SELECT message FROM message_refs WHERE ref = ?2) AND parent_id IS NULL
			AND kind IN ('reply', 'other') AND id != ?1 RETURNING id, raw`,
	} {
		rows, err := qQuery(ctx, tx, q, member, messageID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a adopted
			if err := rows.Scan(&a.id, &a.raw); err != nil {
				rows.Close()
				return err
			}
			all = append(all, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, a := range all {
		m, err := parseStored(ctx, a.raw)
		if err != nil {
			continue
		}
		if err := anchorReply(ctx, tx, a.id, m); err != nil {
			return err
		}
		if err := adoptOrphans(ctx, tx, member, m.MessageID, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func reversedRefs(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// SeriesMboxMessages returns the message row ids that make a series'
// git am-ready mbox: its patches that carry a diff, by number (pasted code
// and replies never), after the cover letter when cover is true. A partial
// reroll (a v3 that resends only 2/5, in reply to v2's) is completed with
// the previous version's patches for the numbers it did not resend, as
// b4 am completes it.
func (s *Store) SeriesMboxMessages(ctx context.Context, seriesID int64, cover bool) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM (
		SELECT cover_id AS id, -1 AS n FROM series WHERE id = ?1 AND cover_id IS NOT NULL AND ?2
		UNION ALL SELECT message_id, number FROM patches WHERE series_id = ?1 AND kind = 'patch'
		UNION ALL SELECT p.message_id, p.number FROM series s JOIN patches p ON p.series_id = s.prev_id AND p.kind = 'patch'
			WHERE s.id = ?1 AND s.total > 0 AND s.cover_id IS NULL AND p.number BETWEEN 1 AND s.total
			AND (SELECT total FROM series WHERE id = s.prev_id) = s.total
			AND NOT EXISTS (SELECT 1 FROM patches q WHERE q.series_id = ?1 AND q.number = p.number)
			AND EXISTS (SELECT 1 FROM patches q JOIN messages qm ON qm.id = q.message_id JOIN messages pm ON pm.series_id = s.prev_id
				WHERE q.series_id = ?1 AND qm.in_reply_to = pm.message_id)
		) ORDER BY n, id`, seriesID, cover)
	return scanIDs(rows, err)
}

// sameOrDerived handles a mail whose Message-ID is stored already: the
// same mail (another copy, other transport headers) is not stored again,
// and its row is returned as same; a different one (a v4 cover sent with
// the v3's id) is to be stored under derived, linked to first by dup_of,
// as public-inbox keeps both.
func sameOrDerived(ctx context.Context, tx *sql.Tx, msgID string, raw []byte) (first, same int64, derived string, err error) {
	if err := qRow(ctx, tx, `SELECT id FROM messages WHERE message_id = ?`, msgID).Scan(&first); err != nil {
		return 0, 0, "", err
	}
	rows, err := qQuery(ctx, tx, `SELECT id, raw FROM messages WHERE id = ?1 UNION ALL SELECT id, raw FROM messages WHERE dup_of = ?1`, first)
	if err != nil {
		return 0, 0, "", err
	}
	for rows.Next() {
		var id int64
		var stored []byte
		if err := rows.Scan(&id, &stored); err != nil {
			rows.Close()
			return 0, 0, "", err
		}
		if review.SameMail(stored, raw) {
			rows.Close()
			return first, id, "", nil
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, "", err
	}
	derived = review.DerivedMessageID(msgID, raw)
	// The same second mail stored before under its derived id.
	err = qRow(ctx, tx, `SELECT id FROM messages WHERE message_id = ?`, derived).Scan(&same)
	if errors.Is(err, sql.ErrNoRows) {
		return first, 0, derived, nil
	}
	return first, same, "", err
}

// patchID returns review.PatchID of a stored patch's diff, computed once.
func (s *Store) patchID(ctx context.Context, id int64) (string, error) {
	if v, ok := s.patchIDs.Load(id); ok {
		return v.(string), nil
	}
	var diff string
	if err := s.r.QueryRowContext(ctx, `SELECT diff FROM patches WHERE id = ?`, id).Scan(&diff); err != nil {
		return "", err
	}
	pid := review.PatchID(diff)
	s.patchIDs.Store(id, pid)
	return pid, nil
}

// VersionMatch pairs a series' patches with its previous version's.
type VersionMatch struct {
	Prev    map[int64]int64 // patch id → the previous version's patch it revises
	Dropped []PatchSummary  // patches of the previous version with no successor
}

// VersionMatches pairs the patches of a series with those of its previous
// version by subject, then patch-id (review.MatchVersions). With no
// previous version, Prev is empty.
func (s *Store) VersionMatches(ctx context.Context, seriesID int64) (VersionMatch, error) {
	vm := VersionMatch{Prev: map[int64]int64{}}
	var prev sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT prev_id FROM series WHERE id = ?`, seriesID).Scan(&prev); err != nil {
		return vm, notFound(err, "series %d", seriesID)
	}
	if !prev.Valid {
		return vm, nil
	}
	load := func(id int64) ([]review.RangePatch, map[int64]PatchSummary, error) {
		rows, err := s.r.QueryContext(ctx, `SELECT id, number, title FROM patches WHERE series_id = ? AND kind = 'patch' ORDER BY number, id`, id)
		if err != nil {
			return nil, nil, err
		}
		var out []review.RangePatch
		sums := map[int64]PatchSummary{}
		for rows.Next() {
			var p review.RangePatch
			var n int
			if err := rows.Scan(&p.ID, &n, &p.Title); err != nil {
				rows.Close()
				return nil, nil, err
			}
			out = append(out, p)
			sums[p.ID] = PatchSummary{ID: p.ID, Number: n, Subject: p.Title}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		for i := range out {
			if out[i].PatchID, err = s.patchID(ctx, out[i].ID); err != nil {
				return nil, nil, err
			}
		}
		return out, sums, nil
	}
	old, oldSums, err := load(prev.Int64)
	if err != nil {
		return vm, err
	}
	cur, _, err := load(seriesID)
	if err != nil {
		return vm, err
	}
	vm.Prev = review.MatchVersions(old, cur)
	kept := map[int64]bool{}
	for _, o := range vm.Prev {
		kept[o] = true
	}
	for _, o := range old {
		if !kept[o.ID] {
			vm.Dropped = append(vm.Dropped, oldSums[o.ID])
		}
	}
	return vm, nil
}
