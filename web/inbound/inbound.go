// Package inbound reads email-in webhook requests: it authenticates them and
// takes the raw RFC 822 message out of whichever form the sender used.
//
// Accepted forms:
//   - a raw message body (Content-Type message/rfc822, text/plain,
//     application/octet-stream or none): an MTA or script posting the mail;
//   - Mailgun's "raw MIME" route forward: a form with field body-mime;
//   - SendGrid Inbound Parse with "POST the raw, full MIME message": a form
//     with field email;
//   - Postmark inbound JSON with "include raw email content": field RawEmail.
//
// Authentication, in this order:
//   - header X-Patchreview-Signature: sha256=<hex HMAC-SHA256(secret, body)>;
//   - Mailgun's timestamped signature (form fields timestamp, token,
//     signature = hex HMAC-SHA256(secret, timestamp+token)), within a replay
//     window and with each token accepted once;
//   - HTTP Basic authentication whose password is the secret, for providers
//     that cannot sign (SendGrid, Postmark): use it only over TLS.
package inbound

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"patchreview/review"
)

// SignatureHeader carries the HMAC of the request body.
const SignatureHeader = "X-Patchreview-Signature"

// Errors returned by Read; web maps them to status codes.
var (
	// ErrDisabled: no secret is configured and insecure mode is off (403).
	ErrDisabled = errors.New("webhook disabled: set PATCHREVIEW_WEBHOOK_SECRET")
	// ErrUnauthorized: missing or wrong credentials, or a replay (401).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrTooLarge: the body exceeds the configured limit (413).
	ErrTooLarge = errors.New("request body too large")
	// ErrNotMail: the body is not a mail message (400).
	ErrNotMail = errors.New("not a mail message")
)

// Config configures a Receiver.
type Config struct {
	Secret   string        // shared secret; empty disables the webhook unless Insecure
	Insecure bool          // accept unauthenticated requests (local testing only)
	MaxBytes int64         // body size limit; default 50 MiB
	Window   time.Duration // replay window for timestamped signatures; default 5 minutes
	Now      func() time.Time
	// Tokens remembers one-time tokens across restarts (the database);
	// nil keeps them in memory only.
	Tokens TokenStore
}

// TokenStore records a one-time token and reports whether it was new,
// forgetting those older than keep; ForgetWebhookToken gives one back.
type TokenStore interface {
	UseWebhookToken(ctx context.Context, token string, now time.Time, keep time.Duration) (fresh bool, err error)
	ForgetWebhookToken(ctx context.Context, token string) error
}

// Delivery is one authenticated inbound message.
type Delivery struct {
	Raw      []byte // the RFC 822 message as sent
	Provider string // "raw", "mailgun", "sendgrid" or "postmark"
	Auth     string // "hmac", "mailgun", "basic" or "insecure"
	token    string // the one-time token the request spent, if any
}

// A Receiver authenticates and decodes webhook requests. It is safe for
// concurrent use.
type Receiver struct {
	cfg  Config
	mu   sync.Mutex
	seen map[string]time.Time // Mailgun tokens accepted within the window
}

// NewReceiver returns a Receiver with cfg's defaults filled in.
func NewReceiver(cfg Config) *Receiver {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 50 << 20
	}
	if cfg.Window <= 0 {
		cfg.Window = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Receiver{cfg: cfg, seen: make(map[string]time.Time)}
}

// Read reads, authenticates and decodes one request. Errors wrap ErrDisabled,
// ErrUnauthorized, ErrTooLarge or ErrNotMail, with a reason.
func (rc *Receiver) Read(w http.ResponseWriter, r *http.Request) (*Delivery, error) {
	if rc.cfg.Secret == "" && !rc.cfg.Insecure {
		return nil, ErrDisabled
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, rc.cfg.MaxBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, fmt.Errorf("%w: limit is %d bytes", ErrTooLarge, rc.cfg.MaxBytes)
		}
		return nil, fmt.Errorf("%w: reading body: %w", ErrNotMail, err)
	}
	d, form, err := decode(r.Header.Get("Content-Type"), body)
	if err != nil {
		return nil, err
	}
	if d.Auth, err = rc.authenticate(r, body, form); err != nil {
		return nil, err
	}
	if d.Auth == "mailgun" {
		d.token = form["token"]
	}
	if err := looksLikeMail(d.Raw); err != nil {
		return nil, err
	}
	return d, nil
}

// Release gives back the one-time token a delivery spent, for a message
// that could not be stored: the sender retries the same request (same
// token and signature), and the retry must be stored, not refused as a
// replay.
func (rc *Receiver) Release(ctx context.Context, d *Delivery) error {
	if d == nil || d.token == "" {
		return nil
	}
	if rc.cfg.Tokens != nil {
		return rc.cfg.Tokens.ForgetWebhookToken(ctx, "mailgun:"+d.token)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	delete(rc.seen, d.token)
	return nil
}

// authenticate returns the method that authenticated the request.
func (rc *Receiver) authenticate(r *http.Request, body []byte, form map[string]string) (string, error) {
	if sig := r.Header.Get(SignatureHeader); sig != "" && rc.cfg.Secret != "" {
		if !validHMAC(rc.cfg.Secret, body, strings.TrimPrefix(sig, "sha256=")) {
			return "", fmt.Errorf("%w: bad %s", ErrUnauthorized, SignatureHeader)
		}
		return "hmac", nil
	}
	if form["signature"] != "" && rc.cfg.Secret != "" {
		if err := rc.checkMailgun(r.Context(), form["timestamp"], form["token"], form["signature"]); err != nil {
			return "", err
		}
		return "mailgun", nil
	}
	if _, pass, ok := r.BasicAuth(); ok && rc.cfg.Secret != "" {
		if subtle.ConstantTimeCompare([]byte(pass), []byte(rc.cfg.Secret)) != 1 {
			return "", fmt.Errorf("%w: bad basic-auth password", ErrUnauthorized)
		}
		return "basic", nil
	}
	if rc.cfg.Insecure {
		return "insecure", nil
	}
	return "", fmt.Errorf("%w: no %s header, Mailgun signature or basic auth", ErrUnauthorized, SignatureHeader)
}

// Sign returns the X-Patchreview-Signature value for body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func validHMAC(secret string, msg []byte, sigHex string) bool {
	got, err := hex.DecodeString(strings.TrimSpace(sigHex))
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return hmac.Equal(got, m.Sum(nil))
}

// checkMailgun verifies Mailgun's signature, its freshness and that the token
// was not seen before within the window.
func (rc *Receiver) checkMailgun(ctx context.Context, ts, token, sig string) error {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || token == "" {
		return fmt.Errorf("%w: Mailgun timestamp or token missing", ErrUnauthorized)
	}
	if !validHMAC(rc.cfg.Secret, []byte(ts+token), sig) {
		return fmt.Errorf("%w: bad Mailgun signature", ErrUnauthorized)
	}
	now := rc.cfg.Now()
	if age := now.Sub(time.Unix(sec, 0)); age > rc.cfg.Window || age < -rc.cfg.Window {
		return fmt.Errorf("%w: Mailgun timestamp outside the %s replay window", ErrUnauthorized, rc.cfg.Window)
	}
	if rc.cfg.Tokens != nil {
		fresh, err := rc.cfg.Tokens.UseWebhookToken(ctx, "mailgun:"+token, now, 2*rc.cfg.Window)
		if err != nil {
			return err
		}
		if !fresh {
			return fmt.Errorf("%w: Mailgun token replayed", ErrUnauthorized)
		}
		return nil
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for t, at := range rc.seen {
		if now.Sub(at) > 2*rc.cfg.Window {
			delete(rc.seen, t)
		}
	}
	if _, dup := rc.seen[token]; dup {
		return fmt.Errorf("%w: Mailgun token replayed", ErrUnauthorized)
	}
	rc.seen[token] = now
	return nil
}

// decode takes the raw message out of body according to its content type.
// It also returns the form fields, for the Mailgun signature.
func decode(contentType string, body []byte) (*Delivery, map[string]string, error) {
	mt, params, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "multipart/form-data", "application/x-www-form-urlencoded":
		form, err := readForm(mt, params["boundary"], body)
		if err != nil && mt == "application/x-www-form-urlencoded" && looksLikeMail(stripEnvelope(body)) == nil {
			// curl --data-binary sends a raw mail as a form by default.
			return &Delivery{Raw: stripEnvelope(body), Provider: "raw"}, nil, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrNotMail, err)
		}
		for _, f := range []struct{ field, provider string }{{"body-mime", "mailgun"}, {"email", "sendgrid"}} {
			if raw := form[f.field]; raw != "" {
				return &Delivery{Raw: []byte(raw), Provider: f.provider}, form, nil
			}
		}
		if mt == "application/x-www-form-urlencoded" && looksLikeMail(stripEnvelope(body)) == nil {
			return &Delivery{Raw: stripEnvelope(body), Provider: "raw"}, nil, nil
		}
		return nil, nil, fmt.Errorf("%w: form has no body-mime (Mailgun) or email (SendGrid) field", ErrNotMail)
	case "application/json":
		var pm struct{ RawEmail string }
		if err := json.Unmarshal(body, &pm); err != nil || pm.RawEmail == "" {
			return nil, nil, fmt.Errorf("%w: JSON body has no RawEmail field (Postmark: enable raw email content)", ErrNotMail)
		}
		return &Delivery{Raw: []byte(pm.RawEmail), Provider: "postmark"}, nil, nil
	default:
		return &Delivery{Raw: stripEnvelope(body), Provider: "raw"}, nil, nil
	}
}

// readForm reads the text fields of a form, and file parts named like the
// provider fields (some senders attach the message as a file part).
func readForm(mt, boundary string, body []byte) (map[string]string, error) {
	form := make(map[string]string)
	if mt == "application/x-www-form-urlencoded" {
		req, _ := http.NewRequest("POST", "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", mt)
		if err := req.ParseForm(); err != nil {
			return nil, err
		}
		for k, v := range req.PostForm {
			form[k] = v[0]
		}
		return form, nil
	}
	if boundary == "" {
		return nil, errors.New("multipart form without boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return form, nil
		}
		if err != nil {
			return nil, fmt.Errorf("multipart form: %v", err)
		}
		v, err := io.ReadAll(p)
		if err != nil {
			return nil, fmt.Errorf("multipart form: %v", err)
		}
		if name := p.FormName(); name != "" {
			form[name] = string(v)
		}
	}
}

// looksLikeMail rejects bodies that are not a mail at all, by
// review.CheckMail's rule. A mail that is merely malformed passes, to be
// stored raw and marked.
func looksLikeMail(raw []byte) error {
	if err := review.CheckMail(raw); err != nil {
		return fmt.Errorf("%w: %v", ErrNotMail, strings.TrimPrefix(err.Error(), review.ErrNotMail.Error()+": "))
	}
	return nil
}

// stripEnvelope drops a leading mbox "From " envelope line, which some MTAs
// prepend when piping one message.
func stripEnvelope(raw []byte) []byte {
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			return raw[i+1:]
		}
	}
	return raw
}
