package web

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"patchreview/storage"
)

func cookieNamed(w *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestSignInOutAndCookie(t *testing.T) {
	for _, proxy := range []bool{false, true} {
		s, st := newTestServer(t, Options{BehindProxy: proxy})
		ctx := context.Background()
		u, _ := st.AddUser(ctx, "Doe, John", "john@example.org", false)
		if err := st.SetPassword(ctx, u.ID, "a long enough password"); err != nil {
			t.Fatal(err)
		}
		if w := postForm(t, s, "/signin", url.Values{"email": {"john@example.org"}, "password": {"wrong password!"}}, nil); w.Code != http.StatusUnauthorized ||
			!strings.Contains(w.Body.String(), "Wrong email or password") || cookieNamed(w, sessionCookie) != nil {
			t.Errorf("wrong password: %d", w.Code)
		}
		w := postForm(t, s, "/signin", url.Values{"email": {"john@example.org"}, "password": {"a long enough password"}, "next": {"//evil.example/x"}}, nil)
		c := cookieNamed(w, sessionCookie)
		if w.Code != http.StatusSeeOther || c == nil || w.Header().Get("Location") != "/" {
			t.Fatalf("sign in: %d %v (an off-site next must not be followed)", w.Code, w.Header())
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != proxy {
			t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Secure=%v", c, proxy)
		}
		page := getWith(t, s, "/", c)
		if !strings.Contains(page, `id="account-link">Doe, John</a>`) {
			t.Errorf("signed-in header missing")
		}
		// A comma in the name is fine: it is the account's, not a cookie's.
		if w := postForm(t, s, "/patches/1/verdict", url.Values{"kind": {"Reviewed-by"}}, c); w.Code != http.StatusNotFound {
			t.Errorf("verdict on a missing patch with a comma name: %d", w.Code)
		}
		if w := postForm(t, s, "/signout", nil, c); w.Code != http.StatusSeeOther {
			t.Errorf("sign out: %d", w.Code)
		}
		if strings.Contains(getWith(t, s, "/", c), "account-link") {
			t.Errorf("the session works after signing out")
		}
	}
}

func TestSignInRateLimited(t *testing.T) {
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	u, _ := st.AddUser(ctx, "Jane", "jane@example.org", false)
	st.SetPassword(ctx, u.ID, "the right password")
	for range storage.LoginFailLimit {
		postForm(t, s, "/signin", url.Values{"email": {"jane@example.org"}, "password": {"guess"}}, nil)
	}
	w := postForm(t, s, "/signin", url.Values{"email": {"jane@example.org"}, "password": {"the right password"}}, nil)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || cookieNamed(w, sessionCookie) != nil {
		t.Errorf("after %d wrong passwords: %d, Retry-After %q", storage.LoginFailLimit, w.Code, w.Header().Get("Retry-After"))
	}
}

func TestInvites(t *testing.T) {
	s, st := newTestServer(t, Options{})
	_, admin := signIn(t, st, "Admin", "admin@example.org", true)
	_, plain := signIn(t, st, "Plain", "plain@example.org", false)
	form := url.Values{"name": {"Jan Kara"}, "email": {"jack@example.org"}}
	if w := postForm(t, s, "/admin/invites", form, plain); w.Code != http.StatusForbidden {
		t.Errorf("invite by a non-admin: %d", w.Code)
	}
	w := postForm(t, s, "/admin/invites", form, admin)
	page := html.UnescapeString(w.Body.String())
	i := strings.Index(page, "/invite/")
	if w.Code != 200 || i < 0 {
		t.Fatalf("admin invite: %d", w.Code)
	}
	link := page[i : i+len("/invite/")+43]
	if !strings.Contains(get(t, s, link).Body.String(), "Welcome, Jan Kara") {
		t.Errorf("invite page")
	}
	if w := postForm(t, s, link, url.Values{"password": {"short"}, "password2": {"short"}}, nil); w.Code != http.StatusBadRequest {
		t.Errorf("short password: %d", w.Code)
	}
	w = postForm(t, s, link, url.Values{"password": {"jan's long password"}, "password2": {"jan's long password"}}, nil)
	if w.Code != http.StatusSeeOther || cookieNamed(w, sessionCookie) == nil {
		t.Fatalf("use invite: %d", w.Code)
	}
	if w := postForm(t, s, link, url.Values{"password": {"taken over!!"}, "password2": {"taken over!!"}}, nil); w.Code != http.StatusNotFound {
		t.Errorf("second use of an invite: %d", w.Code)
	}
	if w := postForm(t, s, "/signin", url.Values{"email": {"jack@example.org"}, "password": {"jan's long password"}}, nil); w.Code != http.StatusSeeOther {
		t.Errorf("sign in with the invite's password: %d", w.Code)
	}
}

func TestPrivateServer(t *testing.T) {
	s, st := newTestServer(t, Options{Private: true})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	_, c := signIn(t, st, "Jan Kara", "jack@example.org", false)
	for _, path := range []string{"/", "/series/2", "/patches/4", "/messages/1/raw", "/patches/4/mbox"} {
		w := get(t, s, path)
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/signin?next=") {
			t.Errorf("private %s signed out: %d %v", path, w.Code, w.Header().Get("Location"))
		}
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(c)
		if w := do(t, s, req); w.Code != 200 {
			t.Errorf("private %s signed in: %d", path, w.Code)
		}
	}
	if w := get(t, s, "/api/v1/series"); w.Code != http.StatusUnauthorized {
		t.Errorf("private API signed out: %d", w.Code)
	}
	for _, path := range []string{"/signin", "/static/style.css"} {
		if w := get(t, s, path); w.Code != 200 {
			t.Errorf("private %s must stay reachable: %d", path, w.Code)
		}
	}
	// Public by default.
	pub, pst := newTestServer(t, Options{})
	pst.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	if w := get(t, pub, "/patches/4"); w.Code != 200 {
		t.Errorf("public patch page: %d", w.Code)
	}
}

func TestAPITokens(t *testing.T) {
	s, st := newTestServer(t, Options{})
	_, c := signIn(t, st, "Jan Kara", "jack@example.org", false)
	w := postForm(t, s, "/account/tokens", url.Values{"name": {"b4"}}, c)
	page := w.Body.String()
	i := strings.Index(page, `id="new-token">`) + len(`id="new-token">`)
	if w.Code != 200 || i < len(`id="new-token">`) || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("make a token: %d", w.Code)
	}
	tok := page[i : i+len(storage.APITokenPrefix)+43]
	post := func(auth string) int {
		req := httptest.NewRequest("POST", "/api/v1/mbox", bytes.NewReader(readFixture(t, fixture)))
		req.Header.Set("Content-Type", "application/mbox")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		return do(t, s, req).Code
	}
	if code := post(""); code != http.StatusUnauthorized {
		t.Errorf("API write without a token: %d", code)
	}
	if code := post("Bearer prt_forged"); code != http.StatusUnauthorized {
		t.Errorf("API write with a forged token: %d", code)
	}
	if code := post("Basic amFuOnB3"); code != http.StatusUnauthorized {
		t.Errorf("API write with basic auth: %d", code)
	}
	if code := post("Bearer " + tok); code != http.StatusOK {
		t.Errorf("API write with the token: %d", code)
	}
	if code := post("Token " + tok); code != http.StatusOK {
		t.Errorf("API write with the token in patchwork's form: %d", code)
	}
	if !strings.Contains(getWith(t, s, "/account", c), "<td>b4</td>") {
		t.Errorf("account page does not list the token")
	}
	tokens, _ := st.APITokens(context.Background(), 1)
	if w := postForm(t, s, "/account/tokens/"+strconv.FormatInt(tokens[0].ID, 10)+"/revoke", nil, c); w.Code != http.StatusSeeOther {
		t.Errorf("revoke: %d", w.Code)
	}
	if code := post("Bearer " + tok); code != http.StatusUnauthorized {
		t.Errorf("API write with a revoked token: %d", code)
	}
}

func TestPasswordChange(t *testing.T) {
	s, st := newTestServer(t, Options{})
	ctx := context.Background()
	u, _ := st.AddUser(ctx, "Jane", "jane@example.org", false)
	st.SetPassword(ctx, u.ID, "the old password")
	old, _ := st.CreateSession(ctx, u.ID)
	other, _ := st.CreateSession(ctx, u.ID)
	c := &http.Cookie{Name: sessionCookie, Value: old}
	if w := postForm(t, s, "/account/password", url.Values{"current": {"wrong"}, "password": {"a new password!"}, "password2": {"a new password!"}}, c); w.Code != http.StatusUnauthorized {
		t.Errorf("wrong current password: %d", w.Code)
	}
	if w := postForm(t, s, "/account/password", url.Values{"current": {"the old password"}, "password": {"a new password!"}, "password2": {"another one!!"}}, c); w.Code != http.StatusBadRequest {
		t.Errorf("mismatched new passwords: %d", w.Code)
	}
	w := postForm(t, s, "/account/password", url.Values{"current": {"the old password"}, "password": {"a new password!"}, "password2": {"a new password!"}}, c)
	if w.Code != http.StatusSeeOther || cookieNamed(w, sessionCookie) == nil {
		t.Fatalf("change: %d", w.Code)
	}
	if _, err := st.SessionUser(ctx, other); err == nil {
		t.Error("another session survived the password change")
	}
	if _, _, err := st.Authenticate(ctx, "jane@example.org", "a new password!", "x"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
}

// A private server's feeds, downloads and public-inbox face can be read
// with a personal API token, as its API can; a bad one is a 401.
func TestPrivateServerReadWithToken(t *testing.T) {
	s, st := newTestServer(t, Options{Private: true})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	u, err := st.AddUser(context.Background(), "Jan Kara", "jack@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := st.CreateAPIToken(context.Background(), u.ID, "feeds")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/patches/4/mbox", "/series/2/feed.atom", "/messages/1/raw", "/all/new.atom"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if w := do(t, s, req); w.Code != 200 {
			t.Errorf("private %s with a token: %d %s", path, w.Code, w.Body.String())
		}
		req = httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer prt_not-a-token")
		if w := do(t, s, req); w.Code != http.StatusUnauthorized {
			t.Errorf("private %s with a bad token: %d", path, w.Code)
		}
		if w := get(t, s, path); w.Code != http.StatusSeeOther {
			t.Errorf("private %s without a token: %d, want the sign-in redirect", path, w.Code)
		}
	}
}

// A bearer token that is not ours (a login proxy passing its own JWT on)
// leaves the pages alone: only a "prt_" token is taken outside the API.
func TestForeignBearerTokenOnPages(t *testing.T) {
	s, st := newTestServer(t, Options{})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	for _, path := range []string{"/", "/series/2", "/static/style.css", "/patches/4/mbox"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")
		if w := do(t, s, req); w.Code != 200 {
			t.Errorf("%s with a foreign bearer token: %d", path, w.Code)
		}
	}
	req := httptest.NewRequest("GET", "/api/v1/series", nil)
	req.Header.Set("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")
	if w := do(t, s, req); w.Code != http.StatusUnauthorized {
		t.Errorf("the API with a foreign bearer token: %d, want 401", w.Code)
	}
}
