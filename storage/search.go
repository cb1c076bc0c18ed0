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
	_, err := qExec(ctx, tx, sqlInsertSearch, id, d.subject, d.author, d.addrs, d.body, d.dfn, d.dfhh, d.mid)
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
			if m, err := parseSafely(raw); err == nil {
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
	// notFTS is an FTS5 expression of what a query of only exclusions
	// (NOT x, -x) leaves out of all messages; fts is then "".
	notFTS string
}

// empty reports a query that selects nothing (no terms at all).
func (q searchQuery) empty() bool {
	return q.fts == "" && q.notFTS == "" && q.after == 0 && q.before == 0
}

// conds returns SQL conditions on the messages row m (and the search
// table when there is an FTS expression) with their arguments.
func (q searchQuery) conds() ([]string, []any) {
	var conds []string
	var args []any
	if q.fts != "" {
		conds, args = append(conds, "search MATCH ?"), append(args, q.fts)
	}
	if q.notFTS != "" {
		conds, args = append(conds, "m.id NOT IN (SELECT rowid FROM search WHERE search MATCH ?)"), append(args, q.notFTS)
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
// phrase; a trailing * makes a term a prefix; AND, OR and NOT (upper case)
// combine terms, and parentheses group them, as b4 sends them
// ((s:"…" AND f:"…") OR nq:"change-id: …"). NOT x, AND NOT x and -x
// (lore's minus, also -prefix:term and -(group)) exclude what x matches,
// wherever they stand: at the start of the query, inside a group, after
// AND. A query with nothing but exclusions means every message except
// those (a SQL NOT IN, since FTS5 has no unary NOT); an exclusion that is
// one side of an OR cannot be expressed and is review.ErrInvalid with the
// reason, never a silently different query. Each term is quoted for FTS5;
// stray AND/OR, a NOT with nothing after it, empty groups and unbalanced
// parentheses are dropped, so no input is an FTS5 syntax error.
// d:FROM..TO (dates as YYYYMMDD, YYYY-MM-DD or YYYYMMDDhhmmss, either side
// may be empty) bounds the Date header, applied to the whole query
// wherever it stands; a date that does not parse is review.ErrInvalid.
func compileQuery(q string) (searchQuery, error) {
	var c searchQuery
	p := queryParser{toks: splitQuery(q), c: &c}
	var top *qnode
	for p.i < len(p.toks) {
		if p.peek() == ")" { // an unbalanced one
			p.i++
			continue
		}
		n := p.parseOr()
		if p.err != nil {
			return c, p.err
		}
		top = andNode(top, n)
	}
	if top == nil {
		return c, nil
	}
	pos, negs, err := top.compile()
	if err != nil {
		return c, err
	}
	if pos.s != "" {
		c.fts = pos.s
		for _, n := range negs {
			c.fts += " NOT " + n.wrapped()
		}
		return c, nil
	}
	c.notFTS = orString(negs).s
	return c, nil
}

// qnode is a parsed query: a term (an FTS5 term or phrase with its column
// filter), or AND, OR or NOT of nodes.
type qnode struct {
	op   string // "term", "AND", "OR", "NOT"
	term string
	kids []*qnode
}

func andNode(a, b *qnode) *qnode {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.op == "AND":
		a.kids = append(a.kids, b)
		return a
	}
	return &qnode{op: "AND", kids: []*qnode{a, b}}
}

// queryParser parses the tokens of splitQuery: OR binds loosest, then AND
// (or juxtaposition; NOT between two terms is AND NOT), then unary NOT
// and -.
type queryParser struct {
	toks []string
	i    int
	c    *searchQuery
	err  error
}

func (p *queryParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *queryParser) parseOr() *qnode {
	var kids []*qnode
	for {
		if n := p.parseAnd(); n != nil {
			kids = append(kids, n)
		}
		if p.err != nil || p.peek() != "OR" {
			break
		}
		p.i++
	}
	switch len(kids) {
	case 0:
		return nil
	case 1:
		return kids[0]
	}
	return &qnode{op: "OR", kids: kids}
}

func (p *queryParser) parseAnd() *qnode {
	var n *qnode
	for p.err == nil {
		switch p.peek() {
		case "", ")", "OR":
			return n
		case "AND":
			p.i++
			continue
		}
		n = andNode(n, p.parseUnary())
	}
	return n
}

// parseUnary parses NOT x, -x, a group or a term; nil for nothing (a d:
// term, an empty phrase or group, a NOT with nothing after it).
func (p *queryParser) parseUnary() *qnode {
	tok := p.peek()
	switch {
	case tok == "", tok == ")", tok == "OR", tok == "AND":
		return nil
	case tok == "NOT", tok == "-":
		p.i++
		if tok == "-" && p.peek() != "(" {
			return nil // a lone minus
		}
		if k := p.parseUnary(); k != nil {
			return &qnode{op: "NOT", kids: []*qnode{k}}
		}
		return nil
	case tok == "(":
		p.i++
		n := p.parseOr()
		if p.peek() == ")" {
			p.i++
		}
		return n
	case strings.HasPrefix(tok, "-") && len(tok) > 1:
		p.i++
		if k := p.term(tok[1:]); k != nil {
			return &qnode{op: "NOT", kids: []*qnode{k}}
		}
		return nil
	}
	p.i++
	return p.term(tok)
}

// term compiles one term: nil for a d: term (applied to the query's
// bounds) and for one with nothing to search.
func (p *queryParser) term(tok string) *qnode {
	col := ""
	if i := strings.IndexByte(tok, ':'); i > 0 {
		prefix := strings.ToLower(tok[:i])
		if prefix == "d" {
			if err := p.c.dateRange(strings.Trim(tok[i+1:], `"`)); err != nil {
				p.err = err
			}
			return nil
		}
		if cl, ok := searchPrefixes[prefix]; ok {
			col, tok = cl, tok[i+1:]
		}
	}
	star := strings.HasSuffix(tok, "*") && !strings.HasSuffix(tok, `"`)
	tok = strings.TrimSuffix(tok, "*")
	tok = strings.Trim(tok, `"`)
	if strings.TrimSpace(tok) == "" {
		return nil
	}
	term := `"` + strings.ReplaceAll(tok, `"`, `""`) + `"`
	if star {
		term += "*"
	}
	if col != "" {
		term = col + " : " + term
	}
	return &qnode{op: "term", term: term}
}

// ftsExpr is a compiled FTS5 expression; simple when it needs no
// parentheses as an operand.
type ftsExpr struct {
	s      string
	simple bool
}

func (e ftsExpr) wrapped() string {
	if e.simple {
		return e.s
	}
	return "( " + e.s + " )"
}

func orString(es []ftsExpr) ftsExpr {
	if len(es) == 1 {
		return es[0]
	}
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.wrapped()
	}
	return ftsExpr{s: strings.Join(parts, " OR ")}
}

// compile returns what a node matches as pos AND NOT negs[0] AND NOT
// negs[1]...; pos is empty when the node is only exclusions.
func (n *qnode) compile() (pos ftsExpr, negs []ftsExpr, err error) {
	switch n.op {
	case "term":
		return ftsExpr{s: n.term, simple: true}, nil, nil
	case "AND":
		var parts []string
		for _, k := range n.kids {
			p, ng, err := k.compile()
			if err != nil {
				return pos, nil, err
			}
			if p.s != "" {
				parts = append(parts, p.wrapped())
			}
			negs = append(negs, ng...)
		}
		return ftsExpr{s: strings.Join(parts, " AND "), simple: len(parts) == 1}, negs, nil
	case "OR":
		var alts []ftsExpr
		for _, k := range n.kids {
			p, ng, err := k.compile()
			if err != nil {
				return pos, nil, err
			}
			if p.s == "" {
				return pos, nil, fmt.Errorf("%w: %s: an exclusion (NOT or -) cannot be one side of an OR; exclude from a positive term instead, e.g. (a NOT b) OR c", review.ErrInvalid, orString(ng).s)
			}
			alts = append(alts, subtract(p, ng))
		}
		return orString(alts), nil, nil
	case "NOT":
		p, ng, err := n.kids[0].compile()
		if err != nil {
			return pos, nil, err
		}
		if p.s == "" { // NOT (NOT a AND NOT b) is a OR b
			return orString(ng), nil, nil
		}
		return pos, []ftsExpr{subtract(p, ng)}, nil
	}
	return pos, nil, fmt.Errorf("storage: query node %q", n.op)
}

// subtract is p NOT negs[0] NOT negs[1]...
func subtract(p ftsExpr, negs []ftsExpr) ftsExpr {
	if len(negs) == 0 {
		return p
	}
	s := p.wrapped()
	for _, n := range negs {
		s += " NOT " + n.wrapped()
	}
	return ftsExpr{s: s}
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

// Search finds messages with a lore-style query (see compileQuery), best
// matches first, in the given list when list is not "".
func (s *Store) Search(ctx context.Context, query, list string, limit int) ([]SearchHit, error) {
	return s.SearchFrom(ctx, query, list, limit, 0)
}

// SearchFrom is Search from the offset-th hit on (for pages of hits).
func (s *Store) SearchFrom(ctx context.Context, query, list string, limit, offset int) ([]SearchHit, error) {
	out := []SearchHit{}
	q, args, err := matchQuery(query, `m.id, coalesce(m.series_id, 0), m.subject, m.from_name, m.from_email, m.kind`,
		list, "m.sent_at DESC, m.id DESC", clampLimit(limit), offset)
	if err != nil || q == "" {
		return out, err
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
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

// matchQuery is the SQL of the messages a lore-style query matches (see
// compileQuery), for Search and FaceSearch: the columns cols of messages m,
// in the given list when list is not "", best matches first when the query
// has terms to rank by, else in the order given, at most limit from the
// offset-th on. It is "" when the query selects nothing.
func matchQuery(query, cols, list, order string, limit, offset int) (string, []any, error) {
	cq, err := compileQuery(query)
	if err != nil || cq.empty() {
		return "", nil, err
	}
	from, conds, args := cq.from(list)
	if cq.fts != "" {
		order = "rank"
	}
	return `SELECT ` + cols + from + ` WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY ` + order +
		fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(offset, 0)), args, nil
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
