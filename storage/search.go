package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

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
	"b":    "body",
	"dfn":  "dfn",
	"dfhh": "dfhh",
	"m":    "mid",
}

// ftsQuery turns a lore-style query into an FTS5 expression: terms are
// ANDed; "prefix:term" searches one field (s: subject, f: From, a: From,
// To and Cc, t:/c: To and Cc, b: body, dfn: a file name of the diff, dfhh:
// a function named in a hunk header, m: Message-ID); a plain term searches
// all of them; "quoted words" are a phrase; a trailing * makes a term a
// prefix; OR and NOT (upper case) combine terms. Each term is quoted for
// FTS5, so no input is an FTS5 syntax error. It returns "" when the query
// has no terms.
func ftsQuery(q string) string {
	var out []string
	for _, tok := range splitQuery(q) {
		if tok == "OR" || tok == "NOT" || tok == "AND" {
			if len(out) > 0 && !isOp(out[len(out)-1]) {
				out = append(out, tok)
			}
			continue
		}
		col := ""
		if i := strings.IndexByte(tok, ':'); i > 0 {
			if c, ok := searchPrefixes[strings.ToLower(tok[:i])]; ok {
				col, tok = c, tok[i+1:]
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
		out = append(out, term)
	}
	for len(out) > 0 && isOp(out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	return strings.Join(out, " ")
}

func isOp(s string) bool { return s == "OR" || s == "NOT" || s == "AND" }

// splitQuery splits on spaces outside double quotes.
func splitQuery(q string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range q {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case !quoted && (r == ' ' || r == '\t' || r == '\n'):
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
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
	fq := ftsQuery(query)
	out := []SearchHit{}
	if fq == "" {
		return out, nil
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := `SELECT m.id, coalesce(m.series_id, 0), m.subject, m.from_name, m.from_email, m.kind FROM search
		JOIN messages m ON m.id = search.rowid WHERE search MATCH ?1`
	args := []any{fq}
	if list != "" {
		q += ` AND EXISTS (SELECT 1 FROM message_lists l WHERE l.list = ?2 AND l.message = m.id)`
		args = append(args, list)
	}
	rows, err := s.r.QueryContext(ctx, q+fmt.Sprintf(` ORDER BY rank LIMIT %d`, limit), args...)
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
