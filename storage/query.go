package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"patchreview/review"
)

const summaryCols = `s.id, s.title, s.author_name, s.author_email, s.version, s.version_suffix, s.total, s.created_at,
	(SELECT count(*) FROM patches p WHERE p.series_id = s.id),
	(SELECT count(*) FROM findings f JOIN patches p ON p.id = f.patch_id WHERE p.series_id = s.id AND f.severity = 'error'),
	(SELECT count(*) FROM findings f JOIN patches p ON p.id = f.patch_id WHERE p.series_id = s.id AND f.severity = 'warning'),
	EXISTS (SELECT 1 FROM series n WHERE n.prev_id = coalesce(s.resend_of, s.id))
		OR EXISTS (SELECT 1 FROM series r WHERE r.resend_of = coalesce(s.resend_of, s.id) AND r.id != s.id AND r.created_at > s.created_at),
	coalesce(s.resend_of, 0),
	coalesce((SELECT kind FROM messages c WHERE c.id = s.cover_id), '') = 'pull',
	coalesce((SELECT group_concat(l.list, ' ') FROM series_lists l WHERE l.series_id = s.id), '')`

func scanSummary(sc interface{ Scan(...any) error }) (SeriesSummary, error) {
	var ss SeriesSummary
	var created int64
	var superseded, pull bool
	var lists string
	err := sc.Scan(&ss.ID, &ss.Title, &ss.Author.Name, &ss.Author.Email, &ss.Version, &ss.VersionSuffix, &ss.Total, &created,
		&ss.Patches, &ss.Errors, &ss.Warnings, &superseded, &ss.ResendOf, &pull, &lists)
	ss.Lists = strings.Fields(lists)
	if ss.Lists == nil {
		ss.Lists = []string{}
	}
	ss.Received = time.Unix(0, created).UTC()
	ss.State = seriesState(ss, superseded)
	if pull {
		ss.State = "pull request"
	}
	return ss, err
}

// seriesState is "superseded" when a later version exists, else "complete"
// when all announced patches arrived, else "incomplete".
func seriesState(ss SeriesSummary, superseded bool) string {
	switch {
	case superseded:
		return "superseded"
	case ss.Total == 0 && ss.Patches > 0, ss.Total > 0 && ss.Patches >= ss.Total:
		return "complete"
	default:
		return "incomplete"
	}
}

// ListSeries lists series, newest first. A query is a lore-style search
// (see compileQuery): series with a message that matches. A list keeps the
// series whose patches or cover letter came through that list.
func (s *Store) ListSeries(ctx context.Context, f SeriesFilter) ([]SeriesSummary, error) {
	q, args, err := listSeriesSQL(f)
	if err != nil || q == "" {
		return []SeriesSummary{}, err
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: list series: %w", err)
	}
	defer rows.Close()
	out := []SeriesSummary{}
	for rows.Next() {
		ss, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ss)
	}
	return out, rows.Err()
}

// listSeriesSQL is ListSeries' query, "" when the search can match nothing.
// The page's series are chosen first and only they get the summary's
// counts: a search matching hundreds of series otherwise computed every
// match's counts before sorting them (a third of the API search's time).
func listSeriesSQL(f SeriesFilter) (string, []any, error) {
	f.Limit = clampLimit(f.Limit)
	var conds []string
	args := []any{}
	if q := strings.TrimSpace(f.Query); q != "" {
		cq, err := compileQuery(q)
		if err != nil {
			return "", nil, err
		}
		if cq.empty() {
			return "", nil, nil
		}
		from, qc, qa := cq.from("")
		conds = append(conds, `s.id IN (SELECT m.series_id `+from+` WHERE `+strings.Join(qc, " AND ")+` AND m.series_id IS NOT NULL)`)
		args = append(args, qa...)
	}
	if f.List != "" {
		conds = append(conds, `s.id IN (SELECT series_id FROM series_lists WHERE list = ?)`)
		args = append(args, f.List)
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	const order = ` ORDER BY s.created_at DESC, s.id DESC`
	return `SELECT ` + summaryCols + ` FROM series s WHERE s.id IN (SELECT s.id FROM series s ` + where + order +
		fmt.Sprintf(` LIMIT %d OFFSET %d)`, f.Limit, max(f.Offset, 0)) + order, args, nil
}

// MaxListLimit is the most series or search hits one request returns;
// callers say the limit they applied and the next offset (the API does).
const MaxListLimit = 500

// clampLimit is a list's row limit: 100 when none is given, and at most
// one more than MaxListLimit, so that a caller asking for a full page and
// one row can tell whether there is a next page.
func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 100
	case n > MaxListLimit+1:
		return MaxListLimit + 1
	}
	return n
}

// SeriesByID returns one series with its cover letter, patches, replies to
// the cover and version links. It returns ErrNotFound if there is none.
func (s *Store) SeriesByID(ctx context.Context, id int64) (*Series, error) {
	ss, err := scanSummary(s.r.QueryRowContext(ctx, `SELECT `+summaryCols+` FROM series s WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("series %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: series %d: %w", id, err)
	}
	se := &Series{SeriesSummary: ss, PatchList: []PatchSummary{}, Replies: []StoredMessage{}}
	var cover, prev, next sql.NullInt64
	// a resend navigates as its original: back to the version before, on to the next
	err = s.r.QueryRowContext(ctx, `SELECT cover_id, coalesce(prev_id, (SELECT o.prev_id FROM series o WHERE o.id = s.resend_of)),
		(SELECT max(id) FROM series n WHERE n.prev_id = coalesce(s.resend_of, s.id) AND n.resend_of IS NULL) FROM series s WHERE id = ?`, id).
		Scan(&cover, &prev, &next)
	if err != nil {
		return nil, err
	}
	se.PrevVersion, se.NextVersion = prev.Int64, next.Int64
	if cover.Valid {
		if se.Cover, err = s.storedMessage(ctx, cover.Int64); err != nil {
			return nil, err
		}
		if se.Replies, err = s.replies(ctx, cover.Int64); err != nil {
			return nil, err
		}
	}
	rows, err := s.r.QueryContext(ctx, `SELECT p.id, p.number, m.subject,
		(SELECT count(*) FROM findings f WHERE f.patch_id = p.id AND f.severity = 'error'),
		(SELECT count(*) FROM findings f WHERE f.patch_id = p.id AND f.severity = 'warning'),
		(SELECT count(*) FROM findings f WHERE f.patch_id = p.id AND f.severity = 'info')
		FROM patches p JOIN messages m ON m.id = p.message_id WHERE p.series_id = ? ORDER BY p.number, p.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ps PatchSummary
		if err := rows.Scan(&ps.ID, &ps.Number, &ps.Subject, &ps.Errors, &ps.Warnings, &ps.Infos); err != nil {
			return nil, err
		}
		se.PatchList = append(se.PatchList, ps)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return se, s.seriesVerdicts(ctx, se)
}

// seriesVerdicts fills the series' own verdicts and each patch's.
func (s *Store) seriesVerdicts(ctx context.Context, se *Series) error {
	all, err := s.Verdicts(ctx, se.ID, -1) // -1 matches no patch: series verdicts only
	if err != nil {
		return err
	}
	se.Verdicts = all
	// Every patch's verdicts in one query (one per patch made a 110-patch
	// series page run 110 queries).
	byPatch := map[int64][]string{}
	vs, err := s.r.QueryContext(ctx, `SELECT patch_id, kind, author_name, author_email FROM verdicts
		WHERE series_id = ? AND patch_id IS NOT NULL ORDER BY id`, se.ID)
	if err != nil {
		return err
	}
	defer vs.Close()
	for vs.Next() {
		var pid int64
		var v review.Verdict
		if err := vs.Scan(&pid, &v.Kind, &v.Author.Name, &v.Author.Email); err != nil {
			return err
		}
		t := v.Trailer()
		if t == "" {
			t = "changes requested by " + v.Author.String()
		}
		byPatch[pid] = append(byPatch[pid], t)
	}
	if err := vs.Err(); err != nil {
		return err
	}
	for i := range se.PatchList {
		se.PatchList[i].Verdicts = byPatch[se.PatchList[i].ID]
		if se.PatchList[i].Verdicts == nil {
			se.PatchList[i].Verdicts = []string{}
		}
	}
	return nil
}

// PatchByID returns one patch with its message, findings, comments and the
// list replies to it. It returns ErrNotFound if there is none.
func (s *Store) PatchByID(ctx context.Context, id int64) (*Patch, error) {
	p := &Patch{ID: id, Findings: []review.Finding{}, Comments: []review.Comment{}}
	var msgID int64
	err := s.r.QueryRowContext(ctx, `SELECT series_id, message_id, check_note FROM patches WHERE id = ?`, id).Scan(&p.SeriesID, &msgID, &p.CheckNote)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("patch %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: patch %d: %w", id, err)
	}
	m, err := s.storedMessage(ctx, msgID)
	if err != nil {
		return nil, err
	}
	p.Message = *m
	rows, err := s.r.QueryContext(ctx, `SELECT f.id, f.rule, f.severity, f.path, f.line, f.function, f.code, f.message,
		d.reason, d.note, d.author_name, d.author_email, d.created_at, d.user_id
		FROM findings f LEFT JOIN dismissals d ON d.finding_id = f.id
		WHERE f.patch_id = ? ORDER BY f.path, f.line, f.rule`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var f review.Finding
		var reason, note, name, email sql.NullString
		var created, user sql.NullInt64
		if err := rows.Scan(&f.ID, &f.Rule, &f.Severity, &f.Path, &f.Line, &f.Function, &f.Code, &f.Message,
			&reason, &note, &name, &email, &created, &user); err != nil {
			rows.Close()
			return nil, err
		}
		if reason.Valid {
			f.Dismissal = &review.Dismissal{Reason: reason.String, Note: note.String,
				Author: review.Address{Name: name.String, Email: email.String}, Created: time.Unix(0, created.Int64).UTC(), UserID: user.Int64}
		}
		p.Findings = append(p.Findings, f)
	}
	rows.Close()
	if p.Comments, err = s.comments(ctx, id); err != nil {
		return nil, err
	}
	if p.Replies, err = s.replies(ctx, msgID); err != nil {
		return nil, err
	}
	if p.Verdicts, err = s.Verdicts(ctx, p.SeriesID, id); err != nil {
		return nil, err
	}
	if p.Trailers, err = s.collectedTrailers(ctx, id); err != nil {
		return p, err
	}
	p.NotApplied, err = s.notAppliedTrailers(ctx, id)
	return p, err
}

func (s *Store) comments(ctx context.Context, patchID int64) ([]review.Comment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, series_id, source, message_id, author_name, author_email, path, line, side, code, body, created_at, coalesce(user_id, 0)
		FROM comments WHERE patch_id = ? ORDER BY path, line, id`, patchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []review.Comment{}
	for rows.Next() {
		c := review.Comment{PatchID: patchID}
		var created int64
		if err := rows.Scan(&c.ID, &c.SeriesID, &c.Source, &c.MessageID, &c.Author.Name, &c.Author.Email,
			&c.Path, &c.Line, &c.Side, &c.Code, &c.Body, &created, &c.UserID); err != nil {
			return nil, err
		}
		c.Created = time.Unix(0, created).UTC()
		if c.Side != review.SideOld {
			c.Side = ""
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// replies returns the messages attached to a patch, cover or code mail.
func (s *Store) replies(ctx context.Context, parent int64) ([]StoredMessage, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM messages WHERE parent_id = ? ORDER BY sent_at, id`, parent)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	out := []StoredMessage{}
	for _, id := range ids {
		m, err := s.storedMessage(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, nil
}

// storedMessage loads a message and parses its raw bytes again, through the
// store's parse cache (a better parser then improves old mail too).
func (s *Store) storedMessage(ctx context.Context, id int64) (*StoredMessage, error) {
	var raw []byte
	var received int64
	sm := &StoredMessage{ID: id}
	err := s.r.QueryRowContext(ctx, `SELECT raw, received_at, error FROM messages WHERE id = ?`, id).Scan(&raw, &received, &sm.ParseError)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	sm.Received = time.Unix(0, received).UTC()
	if m, err := s.parsed.parseKeep(raw); err == nil {
		sm.Message = m
	}
	return sm, nil
}

// MessageRaw returns the raw bytes of a stored message, or ErrNotFound.
func (s *Store) MessageRaw(ctx context.Context, id int64) ([]byte, error) {
	var raw []byte
	err := s.r.QueryRowContext(ctx, `SELECT raw FROM messages WHERE id = ?`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("message %d: %w", id, ErrNotFound)
	}
	return raw, err
}

// RuleFinding is a finding with the patch it is on.
type RuleFinding struct {
	review.Finding
	PatchID int64
	Subject string
}

// FindingsByRule lists a rule's findings, newest patches first.
func (s *Store) FindingsByRule(ctx context.Context, rule string, limit int) ([]RuleFinding, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT f.id, f.patch_id, m.subject, f.severity, f.path, f.line FROM findings f
		JOIN patches p ON p.id = f.patch_id JOIN messages m ON m.id = p.message_id
		WHERE f.rule = ? ORDER BY f.patch_id DESC, f.line LIMIT ?`, rule, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RuleFinding
	for rows.Next() {
		var f RuleFinding
		if err := rows.Scan(&f.ID, &f.PatchID, &f.Subject, &f.Severity, &f.Path, &f.Line); err != nil {
			return nil, err
		}
		f.Rule = rule
		out = append(out, f)
	}
	return out, rows.Err()
}

// SeriesMessages returns the message row ids of a series for an mbox: the
// cover letter, then the patches by number.
func (s *Store) SeriesMessages(ctx context.Context, seriesID int64) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM (
		SELECT cover_id AS id, -1 AS n FROM series WHERE id = ?1 AND cover_id IS NOT NULL
		UNION ALL SELECT message_id, number FROM patches WHERE series_id = ?1) ORDER BY n, id`, seriesID)
	return scanIDs(rows, err)
}

// PatchIDByMessage returns the patch row of a message, or ErrNotFound.
func (s *Store) PatchIDByMessage(ctx context.Context, msgID int64) (int64, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT id FROM patches WHERE message_id = ?`, msgID).Scan(&id)
	return id, notFound(err, "message %d", msgID)
}

// scanIDs reads a query's rows of one integer column (row ids), closing
// them; err is the query's own error.
func scanIDs(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// AmReady returns a stored message as git am takes it from an am-ready
// mbox: a patch with the trailers collected from list replies and the
// verdicts given here applied as b4 am applies them; any other message (a
// cover letter), or a mail AmReady cannot rewrite, as it came.
func (s *Store) AmReady(ctx context.Context, msgRowID int64) ([]byte, error) {
	raw, err := s.MessageRaw(ctx, msgRowID)
	if err != nil {
		return nil, err
	}
	id, err := s.PatchIDByMessage(ctx, msgRowID)
	if errors.Is(err, ErrNotFound) {
		return raw, nil
	}
	if err != nil {
		return nil, err
	}
	p, err := s.PatchByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if out, err := review.AmReady(raw, p.AmTrailers()); err == nil {
		return out, nil
	}
	return raw, nil
}

// AmTrailers are the trailers an am-ready mbox adds to a patch: those
// collected from list replies, then the verdicts given here.
func (p *Patch) AmTrailers() []review.Trailer {
	out := append([]review.Trailer{}, p.Trailers...)
	for _, v := range p.Verdicts {
		if v.Trailer() != "" {
			out = append(out, review.Trailer{Key: v.Kind, Value: v.Author.String()})
		}
	}
	return out
}
