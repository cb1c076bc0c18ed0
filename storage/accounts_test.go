package storage

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"patchreview/review"
)

func TestAccountsInviteSessionAndTokens(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	u, err := s.AddUser(ctx, "Doe, John", "john@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, "Other John", "JOHN@example.org", false); !errors.Is(err, ErrUserExists) {
		t.Errorf("second account with the same email: %v", err)
	}
	for _, bad := range [][2]string{{"", "a@b.org"}, {"X", "not an address"}, {"X <y>", "x@b.org"}, {"X", "X <x@b.org>"}} {
		if _, err := s.AddUser(ctx, bad[0], bad[1], false); !errors.Is(err, review.ErrInvalid) {
			t.Errorf("AddUser(%q, %q): %v", bad[0], bad[1], err)
		}
	}
	// Without a password nobody signs in.
	if _, _, err := s.Authenticate(ctx, u.Email, "", "c1"); !errors.Is(err, ErrBadLogin) {
		t.Errorf("sign-in before the invite: %v", err)
	}
	inv, err := s.CreateInvite(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseInvite(ctx, inv, "short"); !errors.Is(err, ErrWeakPassword) {
		t.Errorf("short password: %v", err)
	}
	if got, err := s.UseInvite(ctx, inv, "correct horse battery"); err != nil || got.ID != u.ID {
		t.Fatalf("use invite: %+v %v", got, err)
	}
	if _, err := s.UseInvite(ctx, inv, "another long password"); !errors.Is(err, ErrBadToken) {
		t.Errorf("second use of an invite: %v", err)
	}
	got, _, err := s.Authenticate(ctx, "John@Example.org", "correct horse battery", "c1")
	if err != nil || got.ID != u.ID || got.Name != "Doe, John" {
		t.Fatalf("sign in: %+v %v", got, err)
	}
	sess, err := s.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if su, err := s.SessionUser(ctx, sess); err != nil || su.Email != u.Email {
		t.Errorf("session user: %+v %v", su, err)
	}
	if _, err := s.SessionUser(ctx, sess+"x"); !errors.Is(err, ErrBadToken) {
		t.Errorf("forged session: %v", err)
	}
	// The session is stored hashed: the database does not hold the cookie.
	var n int
	s.r.QueryRow(`SELECT count(*) FROM sessions WHERE token_hash = ?`, sess).Scan(&n)
	if n != 0 {
		t.Error("session token stored in clear")
	}
	// Sessions expire.
	s.now = func() time.Time { return time.Now().Add(SessionTTL + time.Hour) }
	if _, err := s.SessionUser(ctx, sess); !errors.Is(err, ErrBadToken) {
		t.Errorf("expired session: %v", err)
	}
	s.now = time.Now
	sess, _ = s.CreateSession(ctx, u.ID)
	if err := s.DeleteSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, sess); !errors.Is(err, ErrBadToken) {
		t.Errorf("signed-out session: %v", err)
	}

	tok, err := s.CreateAPIToken(ctx, u.ID, "b4")
	if err != nil || !strings.HasPrefix(tok, APITokenPrefix) {
		t.Fatalf("token %q %v", tok, err)
	}
	if tu, touchErr, err := s.APITokenUser(ctx, tok); err != nil || touchErr != nil || tu.ID != u.ID {
		t.Errorf("token user %+v %v %v", tu, touchErr, err)
	}
	list, _ := s.APITokens(ctx, u.ID)
	if len(list) != 1 || list[0].Name != "b4" || !list[0].UsedEver {
		t.Errorf("tokens %+v", list)
	}
	if err := s.RevokeAPIToken(ctx, u.ID+1, list[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoke another's token: %v", err)
	}
	if err := s.RevokeAPIToken(ctx, u.ID, list[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.APITokenUser(ctx, tok); !errors.Is(err, ErrBadToken) {
		t.Errorf("revoked token: %v", err)
	}
	if _, _, err := s.APITokenUser(ctx, sess); !errors.Is(err, ErrBadToken) {
		t.Errorf("a session cookie as an API token: %v", err)
	}
}

func TestWrongPasswordsAreRateLimited(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	u, _ := s.AddUser(ctx, "Jane", "jane@example.org", false)
	if err := s.SetPassword(ctx, u.ID, "the right password"); err != nil {
		t.Fatal(err)
	}
	for i := range LoginFailLimit {
		if _, _, err := s.Authenticate(ctx, u.Email, "guess", "attacker"); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	// Now even the right password is refused, from any client, for a while.
	_, wait, err := s.Authenticate(ctx, u.Email, "the right password", "jane's laptop")
	if !errors.Is(err, ErrRateLimited) || wait <= 0 || wait > LoginFailWindow {
		t.Fatalf("after %d wrong passwords: %v, wait %v", LoginFailLimit, err, wait)
	}
	s.now = func() time.Time { return time.Now().Add(LoginFailWindow + time.Minute) }
	if got, _, err := s.Authenticate(ctx, u.Email, "the right password", "jane's laptop"); err != nil || got.ID != u.ID {
		t.Errorf("after the window: %v", err)
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("hunter22hunter22")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Fatalf("hash %q %v", h, err)
	}
	h2, _ := HashPassword("hunter22hunter22")
	if h == h2 {
		t.Error("no salt: two hashes of one password are equal")
	}
	if !checkPassword(h, "hunter22hunter22") || checkPassword(h, "hunter22hunter23") || checkPassword("garbage", "") {
		t.Error("checkPassword")
	}
}

// BenchmarkHashPassword measures one argon2id hash with the parameters in
// use (what a sign-in costs the server), against SHA-256 of a session token
// (what every signed-in request costs) in the same run.
func BenchmarkHashPassword(b *testing.B) {
	b.Run("argon2id", func(b *testing.B) {
		for b.Loop() {
			HashPassword("correct horse battery staple")
		}
	})
	b.Run("session-sha256", func(b *testing.B) {
		for b.Loop() {
			tokenHash("Qm9vZ2llIHdvb2dpZSBib29naWUgd29vZ2llIGJvb2dpZSB3b28")
		}
	})
}

// A burst of parallel guesses gets no more password checks than the limit,
// and a right password does not count as a failure.
func TestParallelGuessesAreRateLimited(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	u, _ := s.AddUser(ctx, "Jane", "jane@example.org", false)
	if err := s.SetPassword(ctx, u.ID, "the right password"); err != nil {
		t.Fatal(err)
	}
	for range LoginFailLimit - 1 {
		if _, _, err := s.Authenticate(ctx, u.Email, "the right password", "friend"); err != nil {
			t.Fatalf("right password: %v", err)
		}
	}
	const n = 3 * LoginFailLimit
	errs := make(chan error, n)
	for range n {
		go func() {
			_, _, err := s.Authenticate(ctx, u.Email, "guess", "attacker")
			errs <- err
		}()
	}
	bad := 0
	for range n {
		switch err := <-errs; {
		case errors.Is(err, ErrBadLogin):
			bad++
		case !errors.Is(err, ErrRateLimited):
			t.Errorf("guess: %v", err)
		}
	}
	if bad != LoginFailLimit {
		t.Errorf("%d of %d parallel guesses had their password checked, want %d", bad, n, LoginFailLimit)
	}
}
