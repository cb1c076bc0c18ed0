package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"patchreview/review"
)

// searchDoc is one message as the search index sees it (table search,
// migration 0007).
type searchDoc struct {
	subject, author, addrs, body, dfn, dfhh, mid string
	ok                                           bool
}

// maxIndexedBody bounds the body text indexed for b: and plain words: a
// huge patch's first megabytes say what it is, and indexing all of a 60 MB
// mail would cost hundreds of megabytes of index buffers. Its file and
// function names are indexed whole.
const maxIndexedBody = 1 << 20

func newSearchDoc(m *review.Message) searchDoc {
	body := m.Body
	if len(body) > maxIndexedBody {
		// Cut at a line end: never inside a UTF-8 sequence.
		body = body[:strings.LastIndexByte(body[:maxIndexedBody], '\n')+1]
	}
	d := searchDoc{ok: true, subject: m.Subject.Raw, mid: m.MessageID, body: body}
	d.author = m.From.String()
	if m.Patch != nil && m.Patch.Author.Email != "" {
		d.author += "\n" + m.Patch.Author.String()
	}
	var addrs []string
	addrs = append(addrs, d.author)
	for _, a := range append(append([]review.Address{}, m.To...), m.Cc...) {
		addrs = append(addrs, a.String())
	}
	d.addrs = strings.Join(addrs, "\n")
	if m.Patch != nil {
		files, funcs := map[string]bool{}, map[string]bool{}
		for _, f := range m.Patch.Files {
			for _, n := range []string{f.OldName, f.NewName} {
				if n != "" && n != "/dev/null" {
					files[n] = true
				}
			}
			for _, h := range f.Hunks {
				if sec := strings.TrimSpace(h.Section); sec != "" {
					funcs[sec] = true
				}
			}
		}
		d.dfn, d.dfhh = joinKeys(files), joinKeys(funcs)
	}
	return d
}

func joinKeys(m map[string]bool) string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func (s *Store) insertDoc(ctx context.Context, tx *sql.Tx, id int64, d searchDoc) error {
	if !d.ok {
		return nil
	}
	_, err := s.txExec(ctx, tx, sqlInsertSearch, id, d.subject, d.author, d.addrs, d.body, d.dfn, d.dfhh, d.mid)
	return err
}

// indexBacklog indexes for search the messages processed before the search
// index existed (search_backlog), a batch per transaction.
func (s *Store) indexBacklog(ctx context.Context) error {
	for {
		rows, err := s.r.QueryContext(ctx, `SELECT b.id, m.raw FROM search_backlog b JOIN messages m ON m.id = b.id ORDER BY b.id LIMIT 256`)
		if err != nil {
			return err
		}
		type item struct {
			id  int64
			doc searchDoc
		}
		var items []item
		var ids []int64
		for rows.Next() {
			var id int64
			var raw []byte
			if err := rows.Scan(&id, &raw); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			if m, err := review.ParseMessage(raw); err == nil {
				items = append(items, item{id, newSearchDoc(m)})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			// Rows of the backlog whose message is gone.
			_, err := s.w.ExecContext(ctx, `DELETE FROM search_backlog`)
			return err
		}
		err = s.withTx(ctx, func(tx *sql.Tx) error {
			for _, it := range items {
				if _, err := tx.ExecContext(ctx, `DELETE FROM search WHERE rowid = ?`, it.id); err != nil {
					return err
				}
				if err := s.insertDoc(ctx, tx, it.id, it.doc); err != nil {
					return err
				}
			}
			for _, id := range ids {
				if _, err := tx.ExecContext(ctx, `DELETE FROM search_backlog WHERE id = ?`, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("storage: search backlog: %w", err)
		}
	}
}

// searchPrefixes maps lore's query prefixes to index columns.
var searchPrefixes = map[string]string{
	"s":    "subject",
	"f":    "author",
	"a":    "{author addrs}",
	"t":    "addrs",
	"c":    "addrs",
	"tc":   "addrs",
	"b":    "body",
	"nq":   "body", // lore: the body without quoted text; here the body
	"bs":   "{subject body}",
	"dfn":  "dfn",
	"dfhh": "dfhh",
	"m":    "mid",
}

// searchQuery is a lore-style query compiled: an FTS5 expression and the
// bounds of its d: terms (unix nanoseconds of the Date header; 0: none).
type searchQuery struct {
	fts           string
	after, before int64
}

// empty reports a query that selects nothing (no terms at all).
func (q searchQuery) empty() bool { return q.fts == "" && q.after == 0 && q.before == 0 }

// conds returns SQL conditions on the messages row m (and the search
// table when there is an FTS expression) with their arguments.
func (q searchQuery) conds() ([]string, []any) {
	var conds []string
	var args []any
	if q.fts != "" {
		conds, args = append(conds, "search MATCH ?"), append(args, q.fts)
	}
	if q.after != 0 {
		conds, args = append(conds, "m.sent_at >= ?"), append(args, q.after)
	}
	if q.before != 0 {
		conds, args = append(conds, "m.sent_at < ?"), append(args, q.before)
	}
	return conds, args
}

// ftsQuery returns the FTS5 expression of a query; "" when it has none or
// is invalid. The service's own callers use compileQuery.
func ftsQuery(q string) string {
	c, _ := compileQuery(q)
	return c.fts
}

// compileQuery turns a lore-style query into an FTS5 expression: terms are
// ANDed; "prefix:term" searches one field (s: subject, f: From, a: From,
// To and Cc, t:/c:/tc: To and Cc, b: and nq: body, bs: subject and body,
// dfn: a file name of the diff, dfhh: a function named in a hunk header,
// m: Message-ID); a plain term searches all of them; "quoted words" are a
// phrase; a trailing * makes a term a prefix; OR and NOT (upper case)
// combine terms, and parentheses group them, as b4 sends them
// ((s:"…" AND f:"…") OR nq:"change-id: …"). Each term is quoted for FTS5
// and stray operators and parentheses are dropped, so no input is an FTS5
// syntax error. d:FROM..TO (dates as YYYYMMDD, YYYY-MM-DD or
// YYYYMMDDhhmmss, either side may be empty) bounds the Date header,
// applied to the whole query wherever it stands; a date that does not
// parse is review.ErrInvalid.
func compileQuery(q string) (searchQuery, error) {
	var c searchQuery
	var out []string
	depth := 0
	last := func() string {
		if len(out) == 0 {
			return ""
		}
		return out[len(out)-1]
	}
	trimOps := func() {
		for len(out) > 0 && isOp(last()) {
			out = out[:len(out)-1]
		}
	}
	closeGroup := func() {
		trimOps()
		if last() == "(" {
			out = out[:len(out)-1] // an empty group
		} else {
			out = append(out, ")")
		}
		depth--
	}
	for _, tok := range splitQuery(q) {
		switch tok {
		case "(":
			if l := last(); l != "" && !isOp(l) && l != "(" {
				out = append(out, "AND") // FTS5 has no implicit AND before a group
			}
			out = append(out, "(")
			depth++
			continue
		case ")":
			if depth > 0 {
				closeGroup()
			}
			continue
		case "OR", "NOT", "AND":
			if l := last(); l != "" && !isOp(l) && l != "(" {
				out = append(out, tok)
			}
			continue
		}
		col := ""
		if i := strings.IndexByte(tok, ':'); i > 0 {
			prefix := strings.ToLower(tok[:i])
			if prefix == "d" {
				if err := c.dateRange(strings.Trim(tok[i+1:], `"`)); err != nil {
					return c, err
				}
				continue
			}
			if cl, ok := searchPrefixes[prefix]; ok {
				col, tok = cl, tok[i+1:]
			}
		}
		star := strings.HasSuffix(tok, "*") && !strings.HasSuffix(tok, `"`)
		tok = strings.TrimSuffix(tok, "*")
		tok = strings.Trim(tok, `"`)
		if strings.TrimSpace(tok) == "" {
			continue
		}
		term := `"` + strings.ReplaceAll(tok, `"`, `""`) + `"`
		if star {
			term += "*"
		}
		if col != "" {
			term = col + " : " + term
		}
		if last() == ")" {
			out = append(out, "AND") // nor after one
		}
		out = append(out, term)
	}
	for depth > 0 {
		closeGroup()
	}
	trimOps()
	c.fts = strings.Join(out, " ")
	return c, nil
}

// dateRange applies a d: term's value.
func (c *searchQuery) dateRange(v string) error {
	from, to, isRange := strings.Cut(v, "..")
	if !isRange {
		to = from
	}
	if from != "" {
		t, _, err := parseQueryDate(from)
		if err != nil {
			return err
		}
		c.after = max(c.after, t.UnixNano())
	}
	if to != "" {
		t, day, err := parseQueryDate(to)
		if err != nil {
			return err
		}
		if day {
			t = t.AddDate(0, 0, 1) // the whole day
		} else {
			t = t.Add(time.Second)
		}
		if c.before == 0 || t.UnixNano() < c.before {
			c.before = t.UnixNano()
		}
	}
	return nil
}

func parseQueryDate(v string) (t time.Time, day bool, err error) {
	for _, f := range []struct {
		layout string
		day    bool
	}{{"20060102", true}, {"2006-01-02", true}, {"20060102150405", false}} {
		if t, err := time.Parse(f.layout, v); err == nil {
			return t, f.day, nil
		}
	}
	return t, false, fmt.Errorf("%w: d:%s: a date is YYYYMMDD, YYYY-MM-DD or YYYYMMDDhhmmss (d:FROM..TO, either side may be empty)", review.ErrInvalid, v)
}

func isOp(s string) bool { return s == "OR" || s == "NOT" || s == "AND" }

// splitQuery splits on spaces outside double quotes; a parenthesis outside
// quotes is a token of its own.
func splitQuery(q string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	quoted := false
	for _, r := range q {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case !quoted && (r == ' ' || r == '\t' || r == '\n' || r == '\r'):
			flush()
		case !quoted && (r == '(' || r == ')'):
			flush()
			out = append(out, string(r))
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

// SearchHit is one message found by Search.
type SearchHit struct {
	MessageID int64  `json:"id"`
	SeriesID  int64  `json:"series_id,omitempty"`
	Subject   string `json:"subject"`
	Author    string `json:"author"`
	Kind      string `json:"kind"`
}

// Search finds messages with a lore-style query (see ftsQuery), best
// matches first, in the given list when list is not "".
func (s *Store) Search(ctx context.Context, query, list string, limit int) ([]SearchHit, error) {
	return s.SearchFrom(ctx, query, list, limit, 0)
}

// SearchFrom is Search from the offset-th hit on (for pages of hits).
func (s *Store) SearchFrom(ctx context.Context, query, list string, limit, offset int) ([]SearchHit, error) {
	cq, err := compileQuery(query)
	out := []SearchHit{}
	if err != nil || cq.empty() {
		return out, err
	}
	limit = clampLimit(limit)
	from, conds, args := cq.from(list)
	q := `SELECT m.id, coalesce(m.series_id, 0), m.subject, m.from_name, m.from_email, m.kind ` + from +
		` WHERE ` + strings.Join(conds, " AND ")
	order := " ORDER BY m.sent_at DESC, m.id DESC"
	if cq.fts != "" {
		order = " ORDER BY rank"
	}
	rows, err := s.r.QueryContext(ctx, q+order+fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(offset, 0)), args...)
	if err != nil {
		return nil, fmt.Errorf("storage: search %q: %w", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		var h SearchHit
		var name, email string
		if err := rows.Scan(&h.MessageID, &h.SeriesID, &h.Subject, &name, &email, &h.Kind); err != nil {
			return nil, err
		}
		h.Author = review.Address{Name: name, Email: email}.String()
		out = append(out, h)
	}
	return out, rows.Err()
}

// from returns the FROM clause (messages m, joined with the search table
// when there is an FTS expression) and the conditions of the query, in
// the given list when list is not "".
func (q searchQuery) from(list string) (string, []string, []any) {
	from := ` FROM messages m`
	if q.fts != "" {
		from = ` FROM search JOIN messages m ON m.id = search.rowid`
	}
	conds, args := q.conds()
	if len(conds) == 0 {
		conds = []string{"1"}
	}
	if list != "" {
		conds, args = append(conds, `EXISTS (SELECT 1 FROM message_lists l WHERE l.list = ? AND l.message = m.id)`), append(args, list)
	}
	return from, conds, args
}
