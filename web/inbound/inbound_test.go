package inbound

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

const secret = "s3cret"

const mail = "From: Ravi Iyer <ravi@example.org>\r\n" +
	"To: linux-fsdevel@vger.kernel.org\r\n" +
	"Subject: [PATCH] shadowfs: implement ->writepage\r\n" +
	"Message-ID: <20260101.1@example.org>\r\n" +
	"Date: Thu, 1 Jan 2026 10:00:00 +0000\r\n" +
	"\r\n" +
	"body\r\n"

var now = time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)

func newTestReceiver(cfg Config) *Receiver {
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return now }
	}
	return NewReceiver(cfg)
}

func read(rc *Receiver, req *http.Request) (*Delivery, error) {
	return rc.Read(httptest.NewRecorder(), req)
}

func rawRequest(body, sig string) *http.Request {
	req := httptest.NewRequest("POST", "/api/v1/inbound", strings.NewReader(body))
	req.Header.Set("Content-Type", "message/rfc822")
	if sig != "" {
		req.Header.Set(SignatureHeader, sig)
	}
	return req
}

func mailgunSig(key, ts, token string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(ts + token))
	return hex.EncodeToString(m.Sum(nil))
}

func multipartRequest(t *testing.T, fields map[string]string) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/inbound", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

func mailgunFields(ts time.Time, token, key string) map[string]string {
	s := strconv.FormatInt(ts.Unix(), 10)
	return map[string]string{"body-mime": mail, "timestamp": s, "token": token, "signature": mailgunSig(key, s, token)}
}

func TestAcceptedForms(t *testing.T) {
	pm, _ := json.Marshal(map[string]string{"RawEmail": mail, "Subject": "x"})
	tests := []struct {
		name     string
		req      func(t *testing.T) *http.Request
		provider string
		auth     string
	}{
		{"raw with HMAC", func(t *testing.T) *http.Request { return rawRequest(mail, Sign(secret, []byte(mail))) }, "raw", "hmac"},
		{"raw without content type", func(t *testing.T) *http.Request {
			r := rawRequest(mail, Sign(secret, []byte(mail)))
			r.Header.Del("Content-Type")
			return r
		}, "raw", "hmac"},
		{"mailgun body-mime", func(t *testing.T) *http.Request {
			return multipartRequest(t, mailgunFields(now.Add(-time.Minute), "tok-1", secret))
		}, "mailgun", "mailgun"},
		{"sendgrid email field, basic auth", func(t *testing.T) *http.Request {
			r := multipartRequest(t, map[string]string{"email": mail, "to": "x@y"})
			r.SetBasicAuth("sendgrid", secret)
			return r
		}, "sendgrid", "basic"},
		{"mailgun urlencoded", func(t *testing.T) *http.Request {
			v := url.Values{}
			for k, s := range mailgunFields(now, "tok-2", secret) {
				v.Set(k, s)
			}
			r := httptest.NewRequest("POST", "/", strings.NewReader(v.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, "mailgun", "mailgun"},
		{"postmark json, basic auth", func(t *testing.T) *http.Request {
			r := httptest.NewRequest("POST", "/", bytes.NewReader(pm))
			r.Header.Set("Content-Type", "application/json")
			r.SetBasicAuth("postmark", secret)
			return r
		}, "postmark", "basic"},
	}
	rc := newTestReceiver(Config{Secret: secret})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := read(rc, tt.req(t))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if string(d.Raw) != mail || d.Provider != tt.provider || d.Auth != tt.auth {
				t.Errorf("got provider %q auth %q raw %q; want %q %q and the mail", d.Provider, d.Auth, d.Raw, tt.provider, tt.auth)
			}
		})
	}
}

func TestRejected(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		req  func(t *testing.T) *http.Request
		want error
	}{
		{"no secret configured", Config{}, func(t *testing.T) *http.Request { return rawRequest(mail, "") }, ErrDisabled},
		{"no credentials", Config{Secret: secret}, func(t *testing.T) *http.Request { return rawRequest(mail, "") }, ErrUnauthorized},
		{"wrong HMAC key", Config{Secret: secret}, func(t *testing.T) *http.Request {
			return rawRequest(mail, Sign("other", []byte(mail)))
		}, ErrUnauthorized},
		{"HMAC of another body", Config{Secret: secret}, func(t *testing.T) *http.Request {
			return rawRequest(mail, Sign(secret, []byte(mail+"x")))
		}, ErrUnauthorized},
		{"HMAC not hex", Config{Secret: secret}, func(t *testing.T) *http.Request { return rawRequest(mail, "sha256=zz") }, ErrUnauthorized},
		{"mailgun wrong key", Config{Secret: secret}, func(t *testing.T) *http.Request {
			return multipartRequest(t, mailgunFields(now, "tok", "other"))
		}, ErrUnauthorized},
		{"mailgun stale timestamp", Config{Secret: secret}, func(t *testing.T) *http.Request {
			return multipartRequest(t, mailgunFields(now.Add(-time.Hour), "tok", secret))
		}, ErrUnauthorized},
		{"mailgun future timestamp", Config{Secret: secret}, func(t *testing.T) *http.Request {
			return multipartRequest(t, mailgunFields(now.Add(time.Hour), "tok", secret))
		}, ErrUnauthorized},
		{"basic auth wrong password", Config{Secret: secret}, func(t *testing.T) *http.Request {
			r := rawRequest(mail, "")
			r.SetBasicAuth("u", "nope")
			return r
		}, ErrUnauthorized},
		{"oversize", Config{Secret: secret, MaxBytes: 64}, func(t *testing.T) *http.Request {
			return rawRequest(mail, Sign(secret, []byte(mail)))
		}, ErrTooLarge},
		{"empty body", Config{Secret: secret}, func(t *testing.T) *http.Request { return rawRequest("", Sign(secret, nil)) }, ErrNotMail},
		{"json garbage", Config{Secret: secret}, func(t *testing.T) *http.Request {
			b := `{"hello": "world"}`
			r := rawRequest(b, Sign(secret, []byte(b)))
			r.Header.Set("Content-Type", "application/json")
			return r
		}, ErrNotMail},
		{"binary, no header block", Config{Secret: secret}, func(t *testing.T) *http.Request {
			b := "\x00\x01\x02 not a mail at all"
			return rawRequest(b, Sign(secret, []byte(b)))
		}, ErrNotMail},
		{"headers but none of a mail's", Config{Secret: secret}, func(t *testing.T) *http.Request {
			b := "Host: example.org\r\nAccept: */*\r\n\r\n"
			return rawRequest(b, Sign(secret, []byte(b)))
		}, ErrNotMail},
		{"form without message field", Config{Secret: secret}, func(t *testing.T) *http.Request {
			r := multipartRequest(t, map[string]string{"text": "hi"})
			r.SetBasicAuth("u", secret)
			return r
		}, ErrNotMail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := read(newTestReceiver(tt.cfg), tt.req(t))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestMailgunTokenReplay(t *testing.T) {
	rc := newTestReceiver(Config{Secret: secret})
	fields := mailgunFields(now, "once", secret)
	if _, err := read(rc, multipartRequest(t, fields)); err != nil {
		t.Fatalf("first delivery: %v", err)
	}
	if _, err := read(rc, multipartRequest(t, fields)); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("replayed delivery: err = %v, want ErrUnauthorized", err)
	}
}

func TestInsecureMode(t *testing.T) {
	rc := newTestReceiver(Config{Insecure: true})
	d, err := read(rc, rawRequest(mail, ""))
	if err != nil || d.Auth != "insecure" {
		t.Fatalf("insecure read: %v, %+v", err, d)
	}
	// A secret still rejects a wrong signature, even in insecure mode.
	rc = newTestReceiver(Config{Insecure: true, Secret: secret})
	if _, err := read(rc, rawRequest(mail, Sign("bad", []byte(mail)))); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("bad signature in insecure mode: err = %v", err)
	}
}

func TestEnvelopeLineStripped(t *testing.T) {
	body := "From ravi@example.org Thu Jan  1 10:00:00 2026\n" + mail
	d, err := read(newTestReceiver(Config{Secret: secret}), rawRequest(body, Sign(secret, []byte(body))))
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Raw) != mail {
		t.Errorf("raw = %q, want the mail without its envelope line", d.Raw)
	}
}

func TestMalformedMailStillAccepted(t *testing.T) {
	// A mail with a broken header line after a valid one is the store's
	// business (stored raw and marked), not a 400.
	body := "From: a@b\r\nSubject: x\r\nthis line is broken\r\n\r\nbody"
	if _, err := read(newTestReceiver(Config{Secret: secret}), rawRequest(body, Sign(secret, []byte(body)))); err != nil {
		t.Fatalf("malformed mail rejected: %v", err)
	}
}

// TestRawMailWithoutContentType: curl --data-binary sends a raw mail as
// application/x-www-form-urlencoded, and some clients send no type at all;
// both are the raw mail, not a form (it used to be 400 "invalid semicolon
// separator in query").
func TestRawMailWithoutContentType(t *testing.T) {
	body := mail + "a; b=c&d\r\n"
	for _, ct := range []string{"", "application/x-www-form-urlencoded"} {
		req := rawRequest(body, Sign(secret, []byte(body)))
		if ct == "" {
			req.Header.Del("Content-Type")
		} else {
			req.Header.Set("Content-Type", ct)
		}
		d, err := read(newTestReceiver(Config{Secret: secret}), req)
		if err != nil || d.Provider != "raw" || string(d.Raw) != body {
			t.Errorf("Content-Type %q: %v %+v", ct, err, d)
		}
	}
	// A real form that is not mail still says why.
	req := httptest.NewRequest("POST", "/api/v1/inbound", strings.NewReader("a=1&b=2"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("u", secret)
	if _, err := read(newTestReceiver(Config{Secret: secret}), req); !errors.Is(err, ErrNotMail) {
		t.Errorf("a form without mail: %v", err)
	}
}

type memTokens map[string]bool

func (m memTokens) UseWebhookToken(_ context.Context, tok string, _ time.Time, _ time.Duration) (bool, error) {
	if m[tok] {
		return false, nil
	}
	m[tok] = true
	return true, nil
}

func (m memTokens) ForgetWebhookToken(_ context.Context, tok string) error {
	delete(m, tok)
	return nil
}

// TestMailgunReplayAfterRestart: with a TokenStore, a new Receiver (a
// restarted server) still refuses a token seen before, even with another body.
func TestMailgunReplayAfterRestart(t *testing.T) {
	tokens := memTokens{}
	fields := mailgunFields(now, "once", secret)
	if _, err := read(newTestReceiver(Config{Secret: secret, Tokens: tokens}), multipartRequest(t, fields)); err != nil {
		t.Fatal(err)
	}
	fields["body-mime"] = strings.Replace(mail, "body", "another body", 1)
	if _, err := read(newTestReceiver(Config{Secret: secret, Tokens: tokens}), multipartRequest(t, fields)); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("replay after a restart: %v", err)
	}
}

// TestMailgunReleaseAllowsTheRetry: a delivery whose message could not be
// stored gives its token back; the sender's retry of the same request is
// then taken once, and replays of it are refused again. Both without and
// with a TokenStore.
func TestMailgunReleaseAllowsTheRetry(t *testing.T) {
	for _, tokens := range []TokenStore{nil, memTokens{}} {
		rc := newTestReceiver(Config{Secret: secret, Tokens: tokens})
		fields := mailgunFields(now, "retried", secret)
		d, err := read(rc, multipartRequest(t, fields))
		if err != nil {
			t.Fatal(err)
		}
		if err := rc.Release(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		if _, err := read(rc, multipartRequest(t, fields)); err != nil {
			t.Errorf("tokens %T: the retry after a release: %v", tokens, err)
		}
		if _, err := read(rc, multipartRequest(t, fields)); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("tokens %T: a replay of the retry: %v, want ErrUnauthorized", tokens, err)
		}
		// A delivery without a token (HMAC-signed) has nothing to give back.
		d, err = read(rc, rawRequest(mail, Sign(secret, []byte(mail))))
		if err != nil || rc.Release(context.Background(), d) != nil {
			t.Errorf("tokens %T: release of an HMAC delivery: %v", tokens, err)
		}
	}
}
