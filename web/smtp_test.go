package web

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"patchreview/review"
)

// smtpServer is a tiny SMTP server on 127.0.0.1 for tests: EHLO, AUTH
// PLAIN, MAIL, RCPT, DATA, QUIT. It records what it was sent.
type smtpServer struct {
	ln       net.Listener
	user     string
	password string
	tls      *tls.Config // offers STARTTLS when set
	mu       sync.Mutex
	mails    []sentMail
}

type sentMail struct {
	overTLS    bool
	auth, from string
	to         []string
	data       string
}

func startSMTP(t *testing.T, user, password string) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, user: user, password: password}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) url() string {
	u := url.URL{Scheme: "smtp", User: url.UserPassword(s.user, s.password), Host: s.ln.Addr().String()}
	return u.String()
}

func (s *smtpServer) sent() []sentMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sentMail{}, s.mails...)
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(l string) { fmt.Fprintf(c, "%s\r\n", l) }
	say("220 test ESMTP")
	var m sentMail
	overTLS := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch {
		case cmd == "EHLO" || cmd == "HELO":
			say("250-test")
			if s.tls != nil && !overTLS {
				say("250-STARTTLS")
			}
			say("250 AUTH PLAIN")
		case cmd == "STARTTLS" && s.tls != nil:
			say("220 go ahead")
			tc := tls.Server(c, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, r, overTLS = tc, bufio.NewReader(tc), true
			say = func(l string) { fmt.Fprintf(c, "%s\r\n", l) }
		case strings.HasPrefix(strings.ToUpper(line), "AUTH PLAIN"):
			b, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(line[len("AUTH PLAIN"):]))
			parts := strings.Split(string(b), "\x00")
			if len(parts) != 3 || parts[1] != s.user || parts[2] != s.password {
				say("535 bad credentials")
				continue
			}
			m.auth = parts[1]
			say("235 ok")
		case cmd == "MAIL":
			if s.user != "" && m.auth == "" {
				say("530 authenticate first")
				continue
			}
			m.from = strings.Trim(strings.TrimPrefix(line[4:], " FROM:"), "<> ")
			say("250 ok")
		case cmd == "RCPT":
			m.to = append(m.to, strings.Trim(strings.TrimPrefix(line[4:], " TO:"), "<> "))
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			m.data, m.overTLS = data.String(), overTLS
			s.mu.Lock()
			s.mails = append(s.mails, m)
			s.mu.Unlock()
			m = sentMail{auth: m.auth}
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func TestSendReplyThroughSMTP(t *testing.T) {
	relay := startSMTP(t, "jack", "relay pass")
	mailer, err := NewMailer(relay.url(), "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(mailer.String(), "relay pass") {
		t.Errorf("the mailer's name shows the password: %s", mailer)
	}
	s, st := newTestServer(t, Options{Mailer: mailer})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	_, c := signIn(t, st, "Jan Kara", "jack@example.org", false)
	postForm(t, s, "/patches/4/comments", url.Values{"path": {"fs/shadowfs/aops.c"}, "line": {"28"}, "body": {"Still locked here."}}, c)
	page := getWith(t, s, "/patches/4/reply", c)
	for _, want := range []string{"<th>To</th><td>Ravi Iyer &lt;ravi@example.org&gt;</td>", "<th>In-Reply-To</th><td>&lt;20260112090000.2-ravi@example.org&gt;",
		`action="/patches/4/reply/send"`, `href="mailto:ravi@example.org?`} {
		if !strings.Contains(page, want) {
			t.Errorf("reply page lacks %q", want)
		}
	}
	if w := postForm(t, s, "/patches/4/reply/send", nil, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("send signed out: %d", w.Code)
	}
	w := postForm(t, s, "/patches/4/reply/send", nil, c)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("send: %d %s", w.Code, w.Body)
	}
	sent := relay.sent()
	if len(sent) != 1 {
		t.Fatalf("relay got %d mails", len(sent))
	}
	got := sent[0]
	if got.auth != "jack" || got.from != "jack@example.org" || strings.Join(got.to, ",") != "ravi@example.org,linux-fsdevel@vger.kernel.org" {
		t.Errorf("envelope: auth %q from %q to %v", got.auth, got.from, got.to)
	}
	m, err := review.ParseMessage([]byte(got.data))
	if err != nil || m.InReplyTo != "20260112090000.2-ravi@example.org" || m.From.Email != "jack@example.org" || !strings.Contains(m.Body, "Still locked here.") {
		t.Errorf("sent mail: %v %+v", err, m)
	}
	if !strings.Contains(got.data, "\r\n") || strings.Contains(strings.ReplaceAll(got.data, "\r\n", ""), "\n") {
		t.Errorf("sent mail lines not CRLF")
	}
	flash := &http.Cookie{Name: flashCookie, Value: cookieNamed(w, flashCookie).Value}
	req := httptest.NewRequest("GET", "/patches/4/reply", nil)
	req.AddCookie(c)
	req.AddCookie(flash)
	if page := do(t, s, req).Body.String(); !strings.Contains(page, "Sent to ravi@example.org, linux-fsdevel@vger.kernel.org") {
		t.Errorf("no confirmation of the sending")
	}
	// A second POST (double click, reload) does not mail the list twice;
	// the page says it was sent and offers to send again.
	if w := postForm(t, s, "/patches/4/reply/send", nil, c); w.Code != http.StatusConflict || len(relay.sent()) != 1 {
		t.Errorf("second send without confirming: %d, relay has %d", w.Code, len(relay.sent()))
	}
	page = getWith(t, s, "/patches/4/reply", c)
	if !strings.Contains(page, `id="last-sent"`) || !strings.Contains(page, `name="again"`) || !strings.Contains(page, "Send again to 2 recipients") {
		t.Errorf("the reply page does not say the reply was sent")
	}
	if w := postForm(t, s, "/patches/4/reply/send", url.Values{"again": {"1"}}, c); w.Code != http.StatusSeeOther || len(relay.sent()) != 2 {
		t.Errorf("confirmed second send: %d, relay has %d", w.Code, len(relay.sent()))
	}
	// A relay that refuses, or none listening: a clear 502, nothing claimed sent.
	bad, _ := NewMailer("smtp://jack:wrong@"+relay.ln.Addr().String(), "")
	gone, _ := NewMailer("smtp://127.0.0.1:1", "")
	for _, m := range []Mailer{bad, gone} {
		s.opts.Mailer = m
		if w := postForm(t, s, "/patches/4/reply/send", url.Values{"again": {"1"}}, c); w.Code != http.StatusBadGateway || !strings.Contains(w.Body.String(), "not sent") {
			t.Errorf("refused by the relay: %d", w.Code)
		}
	}
	// Without a mailer: no send button, the .eml and mailto: stay.
	s.opts.Mailer = nil
	page = getWith(t, s, "/patches/4/reply", c)
	if strings.Contains(page, "/reply/send") || !strings.Contains(page, `id="eml"`) || !strings.Contains(page, `id="mailto"`) {
		t.Errorf("reply page without a mailer")
	}
	if w := postForm(t, s, "/patches/4/reply/send", nil, c); w.Code != http.StatusConflict {
		t.Errorf("send without a mailer: %d", w.Code)
	}
}

func TestSendReplyThroughSendmail(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "sendmail")
	out := filepath.Join(dir, "out")
	os.WriteFile(script, []byte("#!/bin/sh\necho \"$@\" > "+out+".args\ncat > "+out+"\n"), 0o755)
	mailer, err := NewMailer("", script+" -oi")
	if err != nil {
		t.Fatal(err)
	}
	s, st := newTestServer(t, Options{Mailer: mailer})
	st.IngestBytes(context.Background(), readFixture(t, fixture), "test", nil)
	_, c := signIn(t, st, "Jan Kara", "jack@example.org", false)
	if w := postForm(t, s, "/patches/4/reply/send", nil, c); w.Code != http.StatusSeeOther {
		t.Fatalf("send: %d %s", w.Code, w.Body)
	}
	args, _ := os.ReadFile(out + ".args")
	mail, _ := os.ReadFile(out)
	if strings.TrimSpace(string(args)) != "-oi -i -f jack@example.org -- ravi@example.org linux-fsdevel@vger.kernel.org" {
		t.Errorf("sendmail args %q", args)
	}
	if !strings.Contains(string(mail), "In-Reply-To: <20260112090000.2-ravi@example.org>") {
		t.Errorf("sendmail got:\n%s", mail)
	}
}

func TestNewMailerRejectsBadConfig(t *testing.T) {
	for _, tc := range [][2]string{{"http://x", ""}, {"smtp://", ""}, {"smtp://h", "/bin/sh"}, {"", "/no/such/sendmail"}} {
		if _, err := NewMailer(tc[0], tc[1]); err == nil {
			t.Errorf("NewMailer(%q, %q) accepted", tc[0], tc[1])
		}
	}
	if m, err := NewMailer("", ""); m != nil || err != nil {
		t.Errorf("no config: %v %v", m, err)
	}
	m, err := NewMailer("smtp://u:p@relay.example.org", "")
	if err != nil || m.(*smtpMailer).host != "relay.example.org:587" {
		t.Errorf("default port: %v", err)
	}
}

// selfSigned makes a certificate for 127.0.0.1 and a client config that
// trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// TestSMTPStartTLS: a relay that offers STARTTLS gets the mail over TLS,
// with AUTH after it; an untrusted certificate stops the sending.
func TestSMTPStartTLS(t *testing.T) {
	relay := startSMTP(t, "jack", "relay pass")
	var client *tls.Config
	relay.tls, client = selfSigned(t)
	m, err := NewMailer(relay.url(), "")
	if err != nil {
		t.Fatal(err)
	}
	sm := m.(*smtpMailer)
	if err := sm.Send(context.Background(), "jack@example.org", []string{"ravi@example.org"}, []byte("Subject: x\n\nbody\n")); err == nil {
		t.Error("sent although the relay's certificate is not trusted")
	}
	sm.tlsConfig = client
	if err := sm.Send(context.Background(), "jack@example.org", []string{"ravi@example.org"}, []byte("Subject: x\n\nbody\n")); err != nil {
		t.Fatal(err)
	}
	sent := relay.sent()
	if len(sent) != 1 || !sent[0].overTLS || sent[0].auth != "jack" || sent[0].data != "Subject: x\r\n\r\nbody\r\n" {
		t.Errorf("relay got %+v", sent)
	}
}
