package storage

// This file holds the read (and the few write) queries of the protocol
// faces: the public-inbox face that b4 and lei talk to, the patchwork REST
// face that git-pw talks to, and the Atom feeds.

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"patchreview/review"
)

// FaceMessage is a stored message as the faces list it.
type FaceMessage struct {
	ID        int64  // row id
	MessageID string // the key it is stored under (derived for a second mail reusing an id)
	HeaderID  string // the Message-ID its header carries, as shown
	Subject   string
	From      review.Address
	Date      time.Time
	Kind      string
	SeriesID  int64 // 0 when in no series
	ParentID  int64 // the patch, cover or code mail a reply answers; 0 if none
	PatchID   int64 // the patch row when the message is a patch; 0 otherwise
}

// headerIDCol is the Message-ID a stored message's header carries: its
// key, or for a second mail stored under a derived key
// (review.DerivedMessageID) the key of the first, which is that id.
const headerIDCol = `coalesce((SELECT f.message_id FROM messages f WHERE f.id = m.dup_of), m.message_id)`

const faceMessageCols = `m.id, m.message_id, ` + headerIDCol + `, m.subject, m.from_name, m.from_email, m.sent_at, m.kind,
	coalesce(m.series_id, 0), coalesce(m.parent_id, 0), coalesce((SELECT p.id FROM patches p WHERE p.message_id = m.id), 0)`

func scanFaceMessage(sc interface{ Scan(...any) error }) (FaceMessage, error) {
	var fm FaceMessage
	var sent int64
	err := sc.Scan(&fm.ID, &fm.MessageID, &fm.HeaderID, &fm.Subject, &fm.From.Name, &fm.From.Email, &sent, &fm.Kind,
		&fm.SeriesID, &fm.ParentID, &fm.PatchID)
	fm.Date = time.Unix(0, sent).UTC()
	return fm, err
}

func (s *Store) faceMessages(ctx context.Context, query string, args ...any) ([]FaceMessage, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []FaceMessage{}
	for rows.Next() {
		fm, err := scanFaceMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, fm)
	}
	return out, rows.Err()
}

// MessageByMessageID returns the message with this Message-ID (without
// angle brackets), or ErrNotFound.
func (s *Store) MessageByMessageID(ctx context.Context, msgID string) (FaceMessage, error) {
	fm, err := scanFaceMessage(s.r.QueryRowContext(ctx, `SELECT `+faceMessageCols+` FROM messages m WHERE m.message_id = ?`, msgID))
	return fm, notFound(err, "message <%s>", msgID)
}

// Duplicates returns the rows of the other mails stored with message id's
// Message-ID (under derived ids, review.DerivedMessageID), in arrival
// order.
func (s *Store) Duplicates(ctx context.Context, id int64) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM messages WHERE dup_of = ? ORDER BY id`, id)
	return scanIDs(rows, err)
}

// RecentMessages lists the newest messages, of one list when list is not
// "", in the order they arrived (row ids grow as mail is accepted;
// ordering by them needs no scan of the rows).
func (s *Store) RecentMessages(ctx context.Context, list string, limit int) ([]FaceMessage, error) {
	if list != "" {
		return s.faceMessages(ctx, `SELECT `+faceMessageCols+` FROM message_lists l JOIN messages m ON m.id = l.message
			WHERE l.list = ? ORDER BY l.message DESC LIMIT ?`, list, limit)
	}
	return s.faceMessages(ctx, `SELECT `+faceMessageCols+` FROM messages m ORDER BY m.id DESC LIMIT ?`, limit)
}

// Lists returns the names of the lists messages came through (their
// List-Ids, or archive names), in the order of their first message, so
// that a new list comes last. It reads two index entries per list.
func (s *Store) Lists(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `WITH RECURSIVE l(name) AS (
			SELECT min(list) FROM message_lists
			UNION ALL SELECT (SELECT min(list) FROM message_lists WHERE list > l.name) FROM l WHERE l.name IS NOT NULL)
		SELECT name FROM l WHERE name IS NOT NULL
		ORDER BY (SELECT min(message) FROM message_lists WHERE list = l.name), name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Thread returns the messages of the thread a message belongs to, in the
// order they arrived: everything connected to it by In-Reply-To and References, in
// either direction, as public-inbox's t.mbox.gz holds. At most limit
// messages are collected. It returns ErrNotFound when msgID is unknown.
func (s *Store) Thread(ctx context.Context, msgID string, limit int) ([]FaceMessage, error) {
	if _, err := s.MessageByMessageID(ctx, msgID); err != nil {
		return nil, err
	}
	seen := map[string]bool{msgID: true}
	frontier := []string{msgID}
	for len(frontier) > 0 && len(seen) < limit {
		var next []string
		for _, id := range frontier {
			rows, err := s.r.QueryContext(ctx, `SELECT r.ref FROM message_refs r JOIN messages m ON m.id = r.message WHERE m.message_id = ?1
				UNION SELECT m.message_id FROM message_refs r JOIN messages m ON m.id = r.message WHERE r.ref = ?1`, id)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var ref string
				if err := rows.Scan(&ref); err != nil {
					rows.Close()
					return nil, err
				}
				if !seen[ref] && len(seen) < limit {
					seen[ref] = true
					next = append(next, ref)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		frontier = next
	}
	ids := make([]any, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	out := []FaceMessage{}
	for chunk := range slices.Chunk(ids, 500) {
		in := `(?` + strings.Repeat(",?", len(chunk)-1) + `)`
		// A second mail that reused one of the Message-IDs is part of the
		// thread too (public-inbox serves both).
		ms, err := s.faceMessages(ctx, `SELECT `+faceMessageCols+` FROM messages m WHERE m.message_id IN `+in+`
			OR m.dup_of IN (SELECT id FROM messages WHERE message_id IN `+in+`)`, append(chunk, chunk...)...)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	// In arrival order, as public-inbox numbers its messages: b4 collects
	// trailers in this order.
	slices.SortFunc(out, func(a, b FaceMessage) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// PatchStates are patchwork's default states, the ones git-pw offers.
var PatchStates = []string{"new", "under-review", "accepted", "rejected", "rfc", "not-applicable",
	"changes-requested", "awaiting-upstream", "superseded", "deferred"}

// FaceAccount is an account as the patchwork face shows it (a patchwork
// "user"): the reviewer accounts of accounts.go, with the local part of
// the email address as the username git-pw's --delegate takes.
type FaceAccount struct {
	ID       int64
	Username string
	Name     string
	Email    string
}

// faceAccount makes a User a FaceAccount.
func faceAccount(u *User) FaceAccount {
	name, _, _ := strings.Cut(u.Email, "@")
	return FaceAccount{ID: u.ID, Username: name, Name: u.Name, Email: u.Email}
}

// FaceAccountOf returns the face's view of an account.
func FaceAccountOf(u *User) FaceAccount { return faceAccount(u) }

// FaceAccounts lists accounts whose name or email contains q (all when q
// is empty), by id.
func (s *Store) FaceAccounts(ctx context.Context, q string, limit, offset int) ([]FaceAccount, error) {
	like := "%" + likeEscape(q) + "%"
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, email FROM users
		WHERE name LIKE ?1 ESCAPE '\' OR email LIKE ?1 ESCAPE '\' ORDER BY id LIMIT ?2 OFFSET ?3`, like, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []FaceAccount{}
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name, &u.Email); err != nil {
			return nil, err
		}
		out = append(out, faceAccount(&u))
	}
	return out, rows.Err()
}

// FaceAccountByID returns one account, or ErrNotFound.
func (s *Store) FaceAccountByID(ctx context.Context, id int64) (FaceAccount, error) {
	u := User{ID: id}
	err := s.r.QueryRowContext(ctx, `SELECT name, email FROM users WHERE id = ?`, id).Scan(&u.Name, &u.Email)
	return faceAccount(&u), notFound(err, "user %d", id)
}

func likeEscape(q string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q)
}

// PWPatch is a patch as the patchwork face shows it.
type PWPatch struct {
	ID        int64
	MessageID string // the storage key (see FaceMessage)
	HeaderID  string // the Message-ID its header carries
	MsgRowID  int64
	Subject   string // as sent, with its [PATCH …] prefix
	From      review.Address
	Date      time.Time
	SeriesID  int64
	Number    int
	Diff      string
	State     string // set by a maintainer, else derived
	StateSet  bool   // State was set by a maintainer
	Delegate  *FaceAccount
	Archived  bool
	CommitRef string
}

// pwPatchCols selects a patch with its derived state: a state set by a
// maintainer wins; else superseded when the series has a later version
// (or a later resend or repost), changes-requested after such a verdict,
// under-review once reviewers gave verdicts or trailers or comments, and
// new otherwise.
const pwPatchCols = `p.id AS id, m.message_id AS msgid, ` + headerIDCol + ` AS header_id, m.id AS msg_row, m.subject AS subject, m.from_name AS from_name,
	m.from_email AS from_email, m.sent_at AS sent_at, p.series_id AS series_id, p.number AS number, p.diff AS diff,
	coalesce(st.state, CASE
		WHEN EXISTS (SELECT 1 FROM series n WHERE n.prev_id = p.series_id)
			OR EXISTS (SELECT 1 FROM series r JOIN series o ON o.id = p.series_id WHERE r.resend_of = coalesce(o.resend_of, o.id) AND r.id != o.id AND r.created_at > o.created_at) THEN 'superseded'
		WHEN EXISTS (SELECT 1 FROM verdicts v WHERE v.series_id = p.series_id AND (v.patch_id IS NULL OR v.patch_id = p.id) AND v.kind IN ('changes-requested', 'Nacked-by')) THEN 'changes-requested'
		WHEN EXISTS (SELECT 1 FROM verdicts v WHERE v.series_id = p.series_id AND (v.patch_id IS NULL OR v.patch_id = p.id))
			OR EXISTS (SELECT 1 FROM collected_trailers t WHERE t.patch_id = p.id)
			OR EXISTS (SELECT 1 FROM comments c WHERE c.patch_id = p.id) THEN 'under-review'
		ELSE 'new' END) AS state,
	st.state IS NOT NULL AS state_set, coalesce(st.delegate_id, 0) AS delegate, coalesce(st.archived, 0) AS archived,
	coalesce(st.commit_ref, '') AS commit_ref`

const pwPatchFrom = ` FROM patches p JOIN messages m ON m.id = p.message_id LEFT JOIN pw_patch_states st ON st.patch_id = p.id`

func (s *Store) scanPWPatches(ctx context.Context, query string, args ...any) ([]PWPatch, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out := []PWPatch{}
	var delegates []int64
	for rows.Next() {
		var p PWPatch
		var sent, delegate int64
		if err := rows.Scan(&p.ID, &p.MessageID, &p.HeaderID, &p.MsgRowID, &p.Subject, &p.From.Name, &p.From.Email, &sent, &p.SeriesID,
			&p.Number, &p.Diff, &p.State, &p.StateSet, &delegate, &p.Archived, &p.CommitRef); err != nil {
			rows.Close()
			return nil, err
		}
		p.Date = time.Unix(0, sent).UTC()
		out = append(out, p)
		delegates = append(delegates, delegate)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, d := range delegates {
		if d != 0 {
			a, err := s.FaceAccountByID(ctx, d)
			if err != nil {
				return nil, err
			}
			out[i].Delegate = &a
		}
	}
	return out, nil
}

// PWPatchFilter selects patches for the patchwork face.
type PWPatchFilter struct {
	List     string // only patches that came through this list; all when ""
	SeriesID int64
	States   []string // any of these (derived or set); all when empty
	Query    string   // substring of the subject
	Limit    int
	Offset   int
	Oldest   bool // oldest first; newest first otherwise
}

// PWPatches lists patches with their states.
func (s *Store) PWPatches(ctx context.Context, f PWPatchFilter) ([]PWPatch, error) {
	where, args := []string{"p.kind = 'patch'"}, []any{}
	if f.SeriesID != 0 {
		where, args = append(where, "p.series_id = ?"), append(args, f.SeriesID)
	}
	if f.List != "" {
		where, args = append(where, "EXISTS (SELECT 1 FROM message_lists l WHERE l.list = ? AND l.message = m.id)"), append(args, f.List)
	}
	if f.Query != "" {
		where, args = append(where, `m.subject LIKE ? ESCAPE '\'`), append(args, "%"+likeEscape(f.Query)+"%")
	}
	order := "DESC"
	if f.Oldest {
		order = "ASC"
	}
	q := `SELECT * FROM (SELECT ` + pwPatchCols + pwPatchFrom + ` WHERE ` + strings.Join(where, " AND ") + `)`
	if len(f.States) > 0 {
		q += ` WHERE state IN (?` + strings.Repeat(",?", len(f.States)-1) + `)`
		for _, st := range f.States {
			args = append(args, st)
		}
	}
	if f.SeriesID != 0 {
		q += ` ORDER BY number, id`
	} else {
		q += ` ORDER BY sent_at ` + order + `, id ` + order
	}
	q += fmt.Sprintf(` LIMIT %d OFFSET %d`, max(f.Limit, 1), max(f.Offset, 0))
	return s.scanPWPatches(ctx, q, args...)
}

// PWPatchByID returns one patch with its state, or ErrNotFound.
func (s *Store) PWPatchByID(ctx context.Context, id int64) (PWPatch, error) {
	ps, err := s.scanPWPatches(ctx, `SELECT `+pwPatchCols+pwPatchFrom+` WHERE p.id = ?`, id)
	if err != nil {
		return PWPatch{}, err
	}
	if len(ps) == 0 {
		return PWPatch{}, fmt.Errorf("patch %d: %w", id, ErrNotFound)
	}
	return ps[0], nil
}

// PatchStatesOfSeries maps each patch of a series to its patchwork state.
func (s *Store) PatchStatesOfSeries(ctx context.Context, seriesID int64) (map[int64]string, error) {
	// Only the ids and states: PWPatches would read every patch's diff
	// (the largest series' page spent a sixth of its time there).
	rows, err := s.r.QueryContext(ctx, `SELECT id, state FROM (SELECT `+pwPatchCols+pwPatchFrom+
		` WHERE p.kind = 'patch' AND p.series_id = ?)`, seriesID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var state string
		if err := rows.Scan(&id, &state); err != nil {
			return nil, err
		}
		out[id] = state
	}
	return out, rows.Err()
}

// PatchUpdate is a change of a patch's patchwork fields; nil fields stay.
type PatchUpdate struct {
	State     *string
	Delegate  *int64 // account id; 0 clears
	Archived  *bool
	CommitRef *string
}

// UpdatePatchState applies a maintainer's change to a patch. An unknown
// state or delegate is review.ErrInvalid; an unknown patch ErrNotFound.
func (s *Store) UpdatePatchState(ctx context.Context, patchID int64, by FaceAccount, u PatchUpdate) error {
	if u.State != nil && !slices.Contains(PatchStates, *u.State) {
		return fmt.Errorf("%w: unknown state %q; known: %s", review.ErrInvalid, *u.State, strings.Join(PatchStates, ", "))
	}
	// The read is in the write transaction: two updates of different
	// fields (git-pw from two shells) are serialised by the writer, and
	// the second reads what the first wrote instead of writing back an
	// old value.
	return s.withTx(ctx, func(tx *sql.Tx) error {
		// Only a state a maintainer set is stored; archiving or
		// delegating leaves a derived state derived.
		var state sql.NullString
		var ref string
		var delegate int64
		var archived bool
		err := tx.QueryRowContext(ctx, `SELECT st.state, coalesce(st.delegate_id, 0), coalesce(st.archived, 0), coalesce(st.commit_ref, '')
			FROM patches p LEFT JOIN pw_patch_states st ON st.patch_id = p.id WHERE p.id = ?`,
			patchID).Scan(&state, &delegate, &archived, &ref)
		if err != nil {
			return notFound(err, "patch %d", patchID)
		}
		if u.State != nil {
			state = sql.NullString{String: *u.State, Valid: true}
		}
		if u.Archived != nil {
			archived = *u.Archived
		}
		if u.CommitRef != nil {
			ref = *u.CommitRef
		}
		if u.Delegate != nil {
			delegate = *u.Delegate
			if delegate != 0 {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE id = ?`, delegate).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return fmt.Errorf("%w: no user %d to delegate to", review.ErrInvalid, delegate)
				}
			}
		}
		var delegateID any
		if delegate != 0 {
			delegateID = delegate
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO pw_patch_states (patch_id, state, delegate_id, archived, commit_ref, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (patch_id) DO UPDATE SET state = excluded.state, delegate_id = excluded.delegate_id,
			archived = excluded.archived, commit_ref = excluded.commit_ref, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			patchID, state, delegateID, archived, ref, by.ID, s.now().UnixNano())
		return err
	})
}

// Person is a sender of mail, as patchwork's people: its id is the row
// id of the first patch, cover, pull or code mail they sent, or, for
// someone who sent none (a reviewer), of the first mail they sent.
type Person struct {
	ID    int64
	Name  string
	Email string
}

// submissionKinds are the kinds of mail whose first one gives a sender
// their people id.
const submissionKinds = `('patch', 'cover', 'pull', 'code')`

// personIDOf is the SQL expression of the people id (see Person) of the
// sender whose lower-cased address is the SQL expression addr: the row of
// their first submission, else of their first mail. Two lookups by the
// index on lower(from_email) that stop at the first row they need. This is
// the one place that says who a person is.
func personIDOf(addr string) string {
	return `coalesce(
	(SELECT min(id) FROM messages WHERE lower(from_email) = ` + addr + ` AND kind IN ` + submissionKinds + `),
	(SELECT min(id) FROM messages WHERE lower(from_email) = ` + addr + `))`
}

// People lists the senders whose name or email contains q (in any of
// their mails), by id.
func (s *Store) People(ctx context.Context, q string, limit, offset int) ([]Person, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT p.id, m.from_name, m.from_email FROM (
			SELECT `+personIDOf("g.email")+` AS id FROM (
				SELECT lower(from_email) AS email FROM messages WHERE from_email != '' GROUP BY lower(from_email)
				HAVING max(from_name LIKE ?1 ESCAPE '\' OR from_email LIKE ?1 ESCAPE '\')) g) p
		JOIN messages m ON m.id = p.id ORDER BY p.id LIMIT ?2 OFFSET ?3`, "%"+likeEscape(q)+"%", limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Person{}
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.ID, &p.Name, &p.Email); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PersonByID returns the person with this people id, or ErrNotFound. The
// row of a sender's first mail finds them too: it was their id while they
// had sent no patch.
func (s *Store) PersonByID(ctx context.Context, id int64) (Person, error) {
	var email string
	var pid, first int64
	err := s.r.QueryRowContext(ctx, `SELECT from_email FROM messages WHERE id = ? AND from_email != ''`, id).Scan(&email)
	if err == nil {
		err = s.r.QueryRowContext(ctx, `SELECT `+personIDOf("lower(?1)")+`, (SELECT min(id) FROM messages WHERE lower(from_email) = lower(?1))`,
			email).Scan(&pid, &first)
	}
	if err == nil && id != pid && id != first {
		err = sql.ErrNoRows
	}
	if err != nil {
		return Person{}, notFound(err, "person %d", id)
	}
	p := Person{ID: pid}
	err = s.r.QueryRowContext(ctx, `SELECT from_name, from_email FROM messages WHERE id = ?`, pid).Scan(&p.Name, &p.Email)
	return p, err
}

// SeriesSummaryByID returns one series' list row, or ErrNotFound: what
// SeriesByID gives without loading its messages.
func (s *Store) SeriesSummaryByID(ctx context.Context, id int64) (SeriesSummary, error) {
	ss, err := scanSummary(s.r.QueryRowContext(ctx, `SELECT `+summaryCols+` FROM series s WHERE s.id = ?`, id))
	return ss, notFound(err, "series %d", id)
}

// PersonID returns the people id of an email address (see Person), or 0
// when no mail came from it.
func (s *Store) PersonID(ctx context.Context, email string) (int64, error) {
	if email == "" {
		return 0, nil
	}
	var id sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT `+personIDOf("lower(?1)"), email).Scan(&id)
	return id.Int64, err
}

// FaceSeriesMessage is a cover letter or patch of a series with its
// Message-ID, for the faces' links.
type FaceSeriesMessage struct {
	FaceMessage
	Number int
}

// SeriesFaceMessages returns a series' cover letter (Number 0, Kind
// "cover" or "pull") and patches, in order.
func (s *Store) SeriesFaceMessages(ctx context.Context, seriesID int64) ([]FaceSeriesMessage, error) {
	ids, err := s.SeriesMessages(ctx, seriesID)
	if err != nil {
		return nil, err
	}
	out := []FaceSeriesMessage{}
	for _, id := range ids {
		fm, err := scanFaceMessage(s.r.QueryRowContext(ctx, `SELECT `+faceMessageCols+` FROM messages m WHERE m.id = ?`, id))
		if err != nil {
			return nil, err
		}
		var n int
		if fm.PatchID != 0 {
			if err := s.r.QueryRowContext(ctx, `SELECT number FROM patches WHERE id = ?`, fm.PatchID).Scan(&n); err != nil {
				return nil, err
			}
		}
		out = append(out, FaceSeriesMessage{FaceMessage: fm, Number: n})
	}
	return out, nil
}

// CoverLetters lists cover letters (and pull requests without a diff)
// that came through a list (any list when list is ""), newest first.
func (s *Store) CoverLetters(ctx context.Context, list, q string, limit, offset int) ([]FaceMessage, error) {
	return s.faceMessages(ctx, `SELECT `+faceMessageCols+` FROM messages m JOIN series s ON s.cover_id = m.id
		WHERE m.subject LIKE ?1 ESCAPE '\' AND (?2 = '' OR EXISTS (SELECT 1 FROM message_lists l WHERE l.list = ?2 AND l.message = m.id))
		ORDER BY m.sent_at DESC, m.id DESC LIMIT ?3 OFFSET ?4`, "%"+likeEscape(q)+"%", list, limit, offset)
}

// CoverLetter returns the cover letter with this message row id, or
// ErrNotFound when the message is not a series' cover.
func (s *Store) CoverLetter(ctx context.Context, id int64) (FaceMessage, error) {
	fm, err := scanFaceMessage(s.r.QueryRowContext(ctx, `SELECT `+faceMessageCols+` FROM messages m JOIN series s ON s.cover_id = m.id WHERE m.id = ?`, id))
	return fm, notFound(err, "cover %d", id)
}

// SeriesEvent is one entry of a series' feed: a finding, a comment or a
// verdict.
type SeriesEvent struct {
	Kind    string // "finding", "comment" or "verdict"
	ID      int64
	PatchID int64
	Subject string // the patch's subject
	Author  review.Address
	Title   string
	Body    string
	Path    string
	Line    int
	Time    time.Time
}

// SeriesEvents lists a series' findings, comments and verdicts, newest
// first.
// Findings carry the time their patch was received.
func (s *Store) SeriesEvents(ctx context.Context, seriesID int64, limit int) ([]SeriesEvent, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT * FROM (
		SELECT 'finding', f.id, f.patch_id, m.subject, '', '', f.severity || ': ' || f.rule, f.message, f.path, f.line, m.received_at AS t
			FROM findings f JOIN patches p ON p.id = f.patch_id JOIN messages m ON m.id = p.message_id WHERE p.series_id = ?1
		UNION ALL
		SELECT 'comment', c.id, coalesce(c.patch_id, 0), coalesce(m.subject, ''), c.author_name, c.author_email, 'comment', c.body, c.path, c.line, c.created_at
			FROM comments c LEFT JOIN patches p ON p.id = c.patch_id LEFT JOIN messages m ON m.id = p.message_id WHERE c.series_id = ?1
		UNION ALL
		SELECT 'verdict', v.id, coalesce(v.patch_id, 0), coalesce(m.subject, ''), v.author_name, v.author_email, v.kind, v.note, '', 0, v.created_at
			FROM verdicts v LEFT JOIN patches p ON p.id = v.patch_id LEFT JOIN messages m ON m.id = p.message_id WHERE v.series_id = ?1)
		ORDER BY t DESC LIMIT ?2`, seriesID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SeriesEvent{}
	for rows.Next() {
		var e SeriesEvent
		var t int64
		if err := rows.Scan(&e.Kind, &e.ID, &e.PatchID, &e.Subject, &e.Author.Name, &e.Author.Email, &e.Title, &e.Body, &e.Path, &e.Line, &t); err != nil {
			return nil, err
		}
		e.Time = time.Unix(0, t).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// FaceSearch finds the messages a lore-style query matches (the query
// language of Search: compileQuery), in the given list when list is not
// "", at most limit, in the order they arrived, as public-inbox's
// ?x=m answers. With threads (public-inbox's t=1) each match brings its
// whole thread (within the list), still at most limit messages.
func (s *Store) FaceSearch(ctx context.Context, query, list string, threads bool, limit int) ([]FaceMessage, error) {
	// The best matches when there are more than limit, then in arrival order.
	q, args, err := matchQuery(query, faceMessageCols, list, "m.id", limit, 0)
	if err != nil || q == "" {
		return []FaceMessage{}, err
	}
	hits, err := s.faceMessages(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: search %q: %w", query, err)
	}
	if threads {
		seen := map[int64]bool{}
		var all []FaceMessage
		for _, h := range hits {
			if seen[h.ID] {
				continue
			}
			th, err := s.Thread(ctx, h.MessageID, limit)
			if err != nil {
				return nil, err
			}
			if list != "" {
				if th, err = s.inList(ctx, th, list); err != nil {
					return nil, err
				}
			}
			for _, m := range th {
				if !seen[m.ID] && len(all) < limit {
					seen[m.ID] = true
					all = append(all, m)
				}
			}
		}
		hits = all
	}
	slices.SortFunc(hits, func(a, b FaceMessage) int { return cmp.Compare(a.ID, b.ID) })
	return hits, nil
}

// inList keeps the messages that came through a list.
func (s *Store) inList(ctx context.Context, ms []FaceMessage, list string) ([]FaceMessage, error) {
	out := ms[:0:0]
	for _, m := range ms {
		ok, err := s.MessageInList(ctx, m.ID, list)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// MessageInList reports whether a message (by row id) came through a list.
func (s *Store) MessageInList(ctx context.Context, id int64, list string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM message_lists WHERE list = ? AND message = ?`, list, id).Scan(&n)
	return n > 0, err
}
