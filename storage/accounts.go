package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"patchreview/review"
)

// Account errors. ErrBadLogin does not say whether the email or the
// password was wrong.
var (
	ErrBadLogin     = errors.New("wrong email or password")
	ErrRateLimited  = errors.New("too many wrong passwords")
	ErrBadToken     = errors.New("unknown or expired token")
	ErrUserExists   = errors.New("an account with that email exists")
	ErrWeakPassword = errors.New("password too short: use at least 10 characters")
)

// Account lifetimes and limits.
const (
	SessionTTL      = 30 * 24 * time.Hour
	InviteTTL       = 7 * 24 * time.Hour
	MinPasswordLen  = 10
	LoginFailWindow = 15 * time.Minute
	// LoginFailLimit wrong passwords for one email or one client within
	// LoginFailWindow block further tries until the oldest one ages out.
	LoginFailLimit = 5
)

// User is a reviewer account.
type User struct {
	ID          int64
	Name, Email string
	Admin       bool
	HasPassword bool
	Created     time.Time
}

// Address is the account as a mail address: what signs trailers.
func (u *User) Address() review.Address {
	if u == nil {
		return review.Address{}
	}
	return review.Address{Name: u.Name, Email: u.Email}
}

// May says whether u may change something owned by the account owner (0:
// written before accounts existed, which only an admin may change).
func (u *User) May(owner int64) bool {
	return u != nil && (u.Admin || owner != 0 && owner == u.ID)
}

// argon2id parameters: the OWASP minimum (19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the argon2id hash of pw in the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether pw matches a HashPassword hash.
func checkPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// newToken returns a random URL-safe secret and the hash stored for it.
func newToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, tokenHash(token), nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// AddUser creates an account without a password; give it one with
// SetPassword or an invite (CreateInvite).
func (s *Store) AddUser(ctx context.Context, name, email string, admin bool) (*User, error) {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	if name == "" {
		return nil, fmt.Errorf("%w: an account needs a name", review.ErrInvalid)
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return nil, fmt.Errorf("%w: bad email address %q", review.ErrInvalid, email)
	}
	if strings.ContainsAny(name, "<>\r\n") {
		return nil, fmt.Errorf("%w: a name cannot contain <, > or a line break", review.ErrInvalid)
	}
	u := &User{Name: name, Email: email, Admin: admin, Created: s.now().UTC()}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email = ?`, email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%s: %w", email, ErrUserExists)
		}
		return tx.QueryRowContext(ctx, `INSERT INTO users (name, email, admin, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			name, email, admin, u.Created.UnixNano()).Scan(&u.ID)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

const userCols = `id, name, email, admin, password_hash != '', created_at`

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	u := &User{}
	var created int64
	if err := row.Scan(&u.ID, &u.Name, &u.Email, &u.Admin, &u.HasPassword, &created); err != nil {
		return nil, err
	}
	u.Created = time.Unix(0, created).UTC()
	return u, nil
}

// UserByEmail returns the account with that email, or ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, strings.TrimSpace(email)))
	if err != nil {
		return nil, notFound(err, "account %s", email)
	}
	return u, nil
}

// Users lists the accounts by name.
func (s *Store) Users(ctx context.Context) ([]*User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many accounts exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

// CheckPassword says whether pw may be a password (ErrWeakPassword).
func CheckPassword(pw string) error {
	if len([]rune(pw)) < MinPasswordLen {
		return fmt.Errorf("%w: %w", review.ErrInvalid, ErrWeakPassword)
	}
	return nil
}

// SetPassword sets an account's password and signs out its sessions.
func (s *Store) SetPassword(ctx context.Context, userID int64, pw string) error {
	if err := CheckPassword(pw); err != nil {
		return err
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error { return setPasswordHash(ctx, tx, userID, hash) })
}

// setPasswordHash stores a password hash and signs the account's sessions
// out.
func setPasswordHash(ctx context.Context, tx *sql.Tx, userID int64, hash string) error {
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("account %d: %w", userID, ErrNotFound)
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

// CreateInvite returns a one-time token with which the account sets its
// password (replacing any earlier invite of that account).
func (s *Store) CreateInvite(ctx context.Context, userID int64) (string, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM invites WHERE user_id = ?`, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO invites (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hash, userID, now.UnixNano(), now.Add(InviteTTL).UnixNano())
		return err
	})
	return token, err
}

// InviteUser returns the account an unused, unexpired invite is for.
func (s *Store) InviteUser(ctx context.Context, token string) (*User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT u.id, u.name, u.email, u.admin, u.password_hash != '', u.created_at
		FROM invites i JOIN users u ON u.id = i.user_id WHERE i.token_hash = ? AND i.expires_at > ?`, tokenHash(token), s.now().UnixNano()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrBadToken
	}
	return u, err
}

// UseInvite sets the password of the invited account and spends the
// invite: a second use fails with ErrBadToken.
func (s *Store) UseInvite(ctx context.Context, token, pw string) (*User, error) {
	u, err := s.InviteUser(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := CheckPassword(pw); err != nil {
		return nil, err
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return nil, err
	}
	// Spending the invite and setting the password are one transaction:
	// of two concurrent uses, the one that spends it sets the password.
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM invites WHERE token_hash = ? AND expires_at > ?`, tokenHash(token), s.now().UnixNano())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrBadToken // spent by a concurrent use
		}
		return setPasswordHash(ctx, tx, u.ID, hash)
	})
	if err != nil {
		return nil, err
	}
	u.HasPassword = true
	return u, nil
}

// Authenticate checks an email and password. Wrong passwords are counted
// per email and per client (e.g. its IP address); past LoginFailLimit in
// LoginFailWindow, it fails with ErrRateLimited and the time to wait,
// without checking the password. Every attempt is counted before the
// password is checked, in one writer transaction, so that a burst of
// parallel guesses gets no more tries than the limit; a right password
// takes its own attempt back.
func (s *Store) Authenticate(ctx context.Context, email, pw, client string) (*User, time.Duration, error) {
	keys := []string{"email:" + strings.ToLower(strings.TrimSpace(email)), "client:" + client}
	now := s.now()
	since := now.Add(-LoginFailWindow).UnixNano()
	var wait time.Duration
	var attempts []int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		wait, attempts = 0, nil
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at <= ?`, since); err != nil {
			return err
		}
		for _, k := range keys {
			var n int
			var oldest sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT count(*), min(at) FROM login_failures WHERE key = ? AND at > ?`, k, since).Scan(&n, &oldest); err != nil {
				return err
			}
			if n >= LoginFailLimit {
				wait = max(time.Unix(0, oldest.Int64).Add(LoginFailWindow).Sub(now), time.Second)
				return nil
			}
		}
		for _, k := range keys {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?) RETURNING rowid`, k, now.UnixNano()).Scan(&id); err != nil {
				return err
			}
			attempts = append(attempts, id)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	if wait > 0 {
		return nil, wait, ErrRateLimited
	}
	var hash string
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, strings.TrimSpace(email)))
	if err == nil {
		err = s.r.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash)
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, err
	}
	if hash == "" {
		checkPassword(dummyHash(), pw) // take as long as a real check
	}
	if hash == "" || !checkPassword(hash, pw) {
		return nil, 0, ErrBadLogin // the attempt stays counted
	}
	for _, id := range attempts {
		if _, err := s.w.ExecContext(ctx, `DELETE FROM login_failures WHERE rowid = ?`, id); err != nil {
			return nil, 0, err
		}
	}
	return u, 0, nil
}

// dummyHash is checked against when the account does not exist, so that
// the answer takes as long as for a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("patchreview: no such account")
	return h
})

// CreateSession signs an account in and returns the cookie value.
func (s *Store) CreateSession(ctx context.Context, userID int64) (string, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	_, err = s.w.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hash, userID, now.UnixNano(), now.Add(SessionTTL).UnixNano())
	return token, err
}

// SessionUser returns the account a live session belongs to, or ErrBadToken.
func (s *Store) SessionUser(ctx context.Context, token string) (*User, error) {
	if token == "" {
		return nil, ErrBadToken
	}
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT u.id, u.name, u.email, u.admin, u.password_hash != '', u.created_at
		FROM sessions se JOIN users u ON u.id = se.user_id WHERE se.token_hash = ? AND se.expires_at > ?`, tokenHash(token), s.now().UnixNano()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrBadToken
	}
	return u, err
}

// DeleteSession signs a session out.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ? OR expires_at <= ?`, tokenHash(token), s.now().UnixNano())
	return err
}

// APIToken is a personal API token as listed (the secret is shown once,
// when created).
type APIToken struct {
	ID            int64
	UserID        int64
	Name          string
	Created, Used time.Time
	UsedEver      bool
}

// APITokenPrefix starts every personal API token, so that a leaked one is
// easy to search for.
const APITokenPrefix = "prt_"

// CreateAPIToken makes a personal API token for an account and returns
// the secret, shown only this once.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name string) (string, error) {
	token, _, err := newToken()
	if err != nil {
		return "", err
	}
	token = APITokenPrefix + token
	_, err = s.w.ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`,
		userID, strings.TrimSpace(name), tokenHash(token), s.now().UnixNano())
	return token, err
}

// APITokenTouchEvery bounds how often a token's last use is written: a
// client that sends its token on every GET (git-pw) costs the single
// writer one UPDATE a minute, not one per request.
const APITokenTouchEvery = time.Minute

// apiTokenTouchWait is how long noting a token's use waits for the writer
// (an ingest may hold it): the note is not worth holding up the request.
const apiTokenTouchWait = 250 * time.Millisecond

// APITokenUser returns the account a personal API token acts for, or
// ErrBadToken (err). It notes when the token was used, best-effort: only
// when the stored time is older than APITokenTouchEvery, waiting for the
// writer at most a quarter of a second; touchErr says why the note was not
// written, and never stops the account from being returned.
func (s *Store) APITokenUser(ctx context.Context, token string) (u *User, touchErr, err error) {
	if !strings.HasPrefix(token, APITokenPrefix) {
		return nil, nil, ErrBadToken
	}
	var id, created, used int64
	u = &User{}
	err = s.r.QueryRowContext(ctx, `SELECT u.id, u.name, u.email, u.admin, u.password_hash != '', u.created_at, t.id, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, tokenHash(token)).
		Scan(&u.ID, &u.Name, &u.Email, &u.Admin, &u.HasPassword, &created, &id, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrBadToken
	}
	if err != nil {
		return nil, nil, err
	}
	u.Created = time.Unix(0, created).UTC()
	now := s.now()
	if now.Sub(time.Unix(0, used)) < APITokenTouchEvery {
		return u, nil, nil
	}
	tctx, cancel := context.WithTimeout(ctx, apiTokenTouchWait)
	defer cancel()
	if _, err := s.w.ExecContext(tctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now.UnixNano(), id); err != nil {
		return u, fmt.Errorf("noting the use of API token %d: %w", id, err), nil
	}
	return u, nil, nil
}

// APITokens lists an account's tokens.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		t := APIToken{UserID: userID}
		var created, used int64
		if err := rows.Scan(&t.ID, &t.Name, &created, &used); err != nil {
			return nil, err
		}
		t.Created, t.Used, t.UsedEver = time.Unix(0, created).UTC(), time.Unix(0, used).UTC(), used != 0
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken deletes one of an account's tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, userID, tokenID int64) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`, tokenID, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("token %d: %w", tokenID, ErrNotFound)
	}
	return nil
}
