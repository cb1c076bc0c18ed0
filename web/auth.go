package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"patchreview/storage"
	"patchreview/web/httpx"
)

// sessionCookie holds the server-side session's secret; the database keeps
// only its hash.
const sessionCookie = "patchreview_session"

type ctxKey int

const (
	userKey ctxKey = iota
	byTokenKey
)

// viewer returns the signed-in account of the request, or nil.
func viewer(r *http.Request) *storage.User {
	u, _ := r.Context().Value(userKey).(*storage.User)
	return u
}

// tokenViewer is the account of the request's personal API token, nil
// when it carries none (a session cookie does not count: the patchwork
// face's writes and account list take a token, as patchwork's do).
func tokenViewer(r *http.Request) *storage.User {
	if by, _ := r.Context().Value(byTokenKey).(bool); !by {
		return nil
	}
	return viewer(r)
}

// identify finds who is asking: a session cookie, or a personal token in
// "Authorization: Bearer prt_…" (or "Token prt_…") for any API under /api/
// and for reading anything else (GET and HEAD: feeds, downloads, pages),
// so that every face shares one notion of "this token is that account".
// The token is resolved here only, once per request (the patchwork face
// takes it from tokenViewer). A bad token on the API, or a bad "prt_" one
// elsewhere, is a 401 in the face's format (so that a typo is not silently
// anonymous); outside the API, another scheme or a bearer token that is not
// ours (a login proxy's own, passed on) is left alone. A stale cookie is
// dropped. The scheme is case-insensitive (RFC 9110).
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u *storage.User
		auth := r.Header.Get("Authorization")
		// "Token" is how patchwork clients (git-pw) send theirs.
		scheme, tok, _ := strings.Cut(auth, " ")
		isToken := strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Token")
		api := strings.HasPrefix(r.URL.Path, "/api/") && r.URL.Path != "/api/v1/inbound"
		// Elsewhere a token is taken for reading (feeds, mbox and raw
		// downloads, the public-inbox face of a --private server); other
		// schemes and other tokens there are not ours and are left alone.
		read := (r.Method == http.MethodGet || r.Method == http.MethodHead) && isToken &&
			strings.HasPrefix(strings.TrimSpace(tok), storage.APITokenPrefix)
		if auth != "" && (api || read) {
			if !isToken {
				s.renderError(w, r, httpx.Errorf(http.StatusUnauthorized, `Authorization must be "Bearer <personal API token>" (or "Token <token>")`))
				return
			}
			// Noting the token's use is best-effort: a failure (the
			// writer busy with an ingest) is logged, not answered.
			var touchErr, err error
			if u, touchErr, err = s.store.APITokenUser(r.Context(), strings.TrimSpace(tok)); err != nil {
				if errors.Is(err, storage.ErrBadToken) {
					err = httpx.Errorf(http.StatusUnauthorized, "unknown or revoked API token: make one on /account")
				}
				s.renderError(w, r, err)
				return
			}
			if touchErr != nil {
				s.log.Warn("API token use not noted", "error", touchErr, "uri", r.RequestURI)
			}
			r = r.WithContext(context.WithValue(r.Context(), byTokenKey, true))
		} else if c, err := r.Cookie(sessionCookie); err == nil {
			if u, err = s.store.SessionUser(r.Context(), c.Value); errors.Is(err, storage.ErrBadToken) {
				s.clearSession(w, r)
			} else if err != nil {
				s.renderError(w, r, err)
				return
			}
		}
		if u != nil {
			r = r.WithContext(context.WithValue(r.Context(), userKey, u))
		}
		next.ServeHTTP(w, r)
	})
}

// publicPaths can be reached without signing in on a --private server.
func publicPath(p string) bool {
	switch {
	case p == "/signin", p == "/signout", p == "/api/v1/inbound",
		strings.HasPrefix(p, "/invite/"), strings.HasPrefix(p, "/static/"):
		return true
	}
	return false
}

// private refuses everything but signing in to anonymous readers: pages
// redirect to the sign-in page, the API answers 401.
func (s *Server) private(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.opts.Private || viewer(r) != nil || publicPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") || r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.renderError(w, r, httpx.Errorf(http.StatusUnauthorized, "this server is private: sign in (pages), or send a personal API token (the API, feeds and downloads)"))
			return
		}
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	})
}

// signedIn returns the signed-in account or a 401 asking to sign in.
func signedIn(r *http.Request, what string) (*storage.User, error) {
	if u := viewer(r); u != nil {
		return u, nil
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return nil, httpx.Errorf(http.StatusUnauthorized, "%s needs a personal API token: \"Authorization: Bearer prt_…\" (make one on /account)", what)
	}
	return nil, httpx.Errorf(http.StatusUnauthorized, "sign in to %s: your account signs what you write (/signin)", what)
}

// startSession signs the account in on this browser: a new server-side
// session and its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64) error {
	token, err := s.store.CreateSession(r.Context(), userID)
	if err != nil {
		return err
	}
	s.setSession(w, r, token)
	return nil
}

// setSession sets the session cookie. Session cookies are Secure exactly
// when the request's scheme is https as httpx.Forwarded decided it (TLS,
// or --behind-proxy and the proxy's X-Forwarded-Proto), the scheme of the
// links the answer writes.
func (s *Server) setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: int(storage.SessionTTL / time.Second),
		HttpOnly: true, Secure: httpx.HTTPS(r), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: httpx.HTTPS(r), SameSite: http.SameSiteLaxMode})
}

// safeNext keeps a ?next= target on this site.
func safeNext(next string) string {
	// Browsers drop tabs and newlines from a URL and read a backslash as
	// a slash, so "/\t/evil.org" or "/\\evil.org" would leave the site.
	if !strings.HasPrefix(next, "/") || strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(next, "//") {
		return "/"
	}
	return next
}

type signinPage struct {
	Email, Next, Error string
}

func (s *Server) handleSigninForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "signin", signinPage{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) handleSigninPost(w http.ResponseWriter, r *http.Request) error {
	email, next := strings.TrimSpace(r.PostFormValue("email")), safeNext(r.PostFormValue("next"))
	u, wait, err := s.store.Authenticate(r.Context(), email, r.PostFormValue("password"), httpx.ClientAddr(r))
	switch {
	case errors.Is(err, storage.ErrRateLimited):
		secs := int(wait.Round(time.Second) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return s.renderStatus(w, r, http.StatusTooManyRequests, "signin", signinPage{Email: email, Next: next,
			Error: fmt.Sprintf("Too many wrong passwords: try again in %d minutes.", (secs+59)/60)})
	case errors.Is(err, storage.ErrBadLogin):
		return s.renderStatus(w, r, http.StatusUnauthorized, "signin", signinPage{Email: email, Next: next, Error: "Wrong email or password."})
	case err != nil:
		return err
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) handleSignout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

type invitePage struct {
	Token string
	User  *storage.User
	Error string
}

func (s *Server) handleInviteForm(w http.ResponseWriter, r *http.Request) error {
	tok := chi.URLParam(r, "token")
	u, err := s.store.InviteUser(r.Context(), tok)
	if errors.Is(err, storage.ErrBadToken) {
		return httpx.Errorf(http.StatusNotFound, "this invite link is unknown, used or expired: ask an admin for a new one")
	}
	if err != nil {
		return err
	}
	return s.render(w, r, "invite", invitePage{Token: tok, User: u})
}

func (s *Server) handleInvitePost(w http.ResponseWriter, r *http.Request) error {
	tok := chi.URLParam(r, "token")
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("password2") {
		u, err := s.store.InviteUser(r.Context(), tok)
		if err != nil {
			return httpx.Errorf(http.StatusNotFound, "this invite link is unknown, used or expired: ask an admin for a new one")
		}
		return s.renderStatus(w, r, http.StatusBadRequest, "invite", invitePage{Token: tok, User: u, Error: "The two passwords differ."})
	}
	u, err := s.store.UseInvite(r.Context(), tok, pw)
	switch {
	case errors.Is(err, storage.ErrBadToken):
		return httpx.Errorf(http.StatusNotFound, "this invite link is unknown, used or expired: ask an admin for a new one")
	case errors.Is(err, storage.ErrWeakPassword):
		iu, _ := s.store.InviteUser(r.Context(), tok)
		return s.renderStatus(w, r, http.StatusBadRequest, "invite", invitePage{Token: tok, User: iu, Error: storage.ErrWeakPassword.Error()})
	case err != nil:
		return err
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

type accountPage struct {
	Flash    string
	User     *storage.User
	Tokens   []storage.APIToken
	NewToken string
	Users    []*storage.User
	Invite   string // a just-made invite link, shown once
	Error    string
}

func (s *Server) accountPage(r *http.Request, u *storage.User) (accountPage, error) {
	p := accountPage{User: u}
	var err error
	if p.Tokens, err = s.store.APITokens(r.Context(), u.ID); err != nil {
		return p, err
	}
	if u.Admin {
		p.Users, err = s.store.Users(r.Context())
	}
	return p, err
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r, "see your account")
	if err != nil {
		return err
	}
	p, err := s.accountPage(r, u)
	if err != nil {
		return err
	}
	p.Flash = takeFlash(w, r)
	return s.render(w, r, "account", p)
}

// handleTokenCreate makes a personal API token and shows it once.
func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r, "make an API token")
	if err != nil {
		return err
	}
	tok, err := s.store.CreateAPIToken(r.Context(), u.ID, r.PostFormValue("name"))
	if err != nil {
		return err
	}
	p, err := s.accountPage(r, u)
	if err != nil {
		return err
	}
	p.NewToken = tok
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, "account", p)
}

func (s *Server) handleTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r, "revoke an API token")
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(r.Context(), u.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// handleInviteCreate lets an admin add an account and get its one-time
// invite link, to hand to the reviewer.
func (s *Server) handleInviteCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r, "invite reviewers")
	if err != nil {
		return err
	}
	if !u.Admin {
		return httpx.Errorf(http.StatusForbidden, "only an admin invites reviewers")
	}
	p, err := s.accountPage(r, u)
	if err != nil {
		return err
	}
	nu, err := s.store.AddUser(r.Context(), r.PostFormValue("name"), r.PostFormValue("email"), r.PostFormValue("admin") == "on")
	if errors.Is(err, storage.ErrUserExists) {
		nu, err = s.store.UserByEmail(r.Context(), r.PostFormValue("email"))
		if err == nil && nu.HasPassword {
			p.Error = "That account exists and has a password."
			return s.renderStatus(w, r, http.StatusConflict, "account", p)
		}
	}
	if err != nil {
		return err
	}
	tok, err := s.store.CreateInvite(r.Context(), nu.ID)
	if err != nil {
		return err
	}
	p.Invite = httpx.BaseURL(r) + "/invite/" + tok
	if p.Users, err = s.store.Users(r.Context()); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, "account", p)
}

// handlePasswordChange sets a new password after checking the current one
// (wrong ones count towards the rate limit); every other session of the
// account is signed out.
func (s *Server) handlePasswordChange(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r, "change your password")
	if err != nil {
		return err
	}
	p, err := s.accountPage(r, u)
	if err != nil {
		return err
	}
	_, wait, err := s.store.Authenticate(r.Context(), u.Email, r.PostFormValue("current"), httpx.ClientAddr(r))
	switch {
	case errors.Is(err, storage.ErrRateLimited):
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
		p.Error = "Too many wrong passwords: try again later."
		return s.renderStatus(w, r, http.StatusTooManyRequests, "account", p)
	case errors.Is(err, storage.ErrBadLogin):
		p.Error = "The current password is wrong."
		return s.renderStatus(w, r, http.StatusUnauthorized, "account", p)
	case err != nil:
		return err
	}
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		p.Error = "The two new passwords differ."
		return s.renderStatus(w, r, http.StatusBadRequest, "account", p)
	}
	if err := s.store.SetPassword(r.Context(), u.ID, r.PostFormValue("password")); errors.Is(err, storage.ErrWeakPassword) {
		p.Error = storage.ErrWeakPassword.Error()
		return s.renderStatus(w, r, http.StatusBadRequest, "account", p)
	} else if err != nil {
		return err
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		return err
	}
	setFlash(w, "Password changed; your other sessions are signed out.")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}
