package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/url"
	"os/exec"
	"strings"
	"time"
)

// A Mailer sends a finished mail (CRLF or LF line endings) from an
// envelope sender to envelope recipients.
type Mailer interface {
	Send(ctx context.Context, from string, to []string, msg []byte) error
	// String names where mail goes, for the page and the log (no password).
	String() string
}

// NewMailer makes the mailer for a relay URL (smtp://user:pass@host:587,
// STARTTLS when offered and required with a password unless the host is
// local; smtps://… for TLS from the start) or a sendmail command. Both
// empty: nil, no sending.
func NewMailer(relay, sendmail string) (Mailer, error) {
	switch {
	case relay != "" && sendmail != "":
		return nil, errors.New("give an SMTP relay or a sendmail command, not both")
	case sendmail != "":
		args := strings.Fields(sendmail)
		if _, err := exec.LookPath(args[0]); err != nil {
			return nil, fmt.Errorf("sendmail command: %w", err)
		}
		return &sendmailMailer{args: args}, nil
	case relay != "":
		u, err := url.Parse(relay)
		if err != nil {
			return nil, fmt.Errorf("SMTP relay URL: %w", err)
		}
		if u.Scheme != "smtp" && u.Scheme != "smtps" {
			return nil, fmt.Errorf("SMTP relay URL %q: want smtp://[user:pass@]host[:port] or smtps://…", u.Redacted())
		}
		if u.Hostname() == "" {
			return nil, fmt.Errorf("SMTP relay URL %q has no host", u.Redacted())
		}
		m := &smtpMailer{url: u, host: u.Host}
		if u.Port() == "" {
			m.host = net.JoinHostPort(u.Hostname(), map[string]string{"smtp": "587", "smtps": "465"}[u.Scheme])
		}
		return m, nil
	}
	return nil, nil
}

type smtpMailer struct {
	url  *url.URL
	host string // host:port
	// tlsConfig is for tests (a self-signed relay); nil verifies normally.
	tlsConfig *tls.Config
}

func (m *smtpMailer) String() string {
	u := *m.url
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return "SMTP relay " + u.String()
}

func (m *smtpMailer) Send(ctx context.Context, from string, to []string, msg []byte) error {
	d := net.Dialer{Timeout: 20 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", m.host)
	if err != nil {
		return fmt.Errorf("%s: %w", m, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	} else {
		conn.SetDeadline(time.Now().Add(60 * time.Second))
	}
	tcfg := m.tlsConfig
	if tcfg == nil {
		tcfg = &tls.Config{ServerName: m.url.Hostname()}
	}
	if m.url.Scheme == "smtps" {
		conn = tls.Client(conn, tcfg)
	}
	c, err := smtp.NewClient(conn, m.url.Hostname())
	if err != nil {
		return fmt.Errorf("%s: %w", m, err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("%s: EHLO: %w", m, err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && m.url.Scheme == "smtp" {
		if err := c.StartTLS(tcfg); err != nil {
			return fmt.Errorf("%s: STARTTLS: %w", m, err)
		}
	}
	if u := m.url.User; u != nil {
		pass, _ := u.Password()
		// PlainAuth refuses to send the password in clear except to localhost.
		if err := c.Auth(smtp.PlainAuth("", u.Username(), pass, m.url.Hostname())); err != nil {
			return fmt.Errorf("%s: AUTH: %w", m, err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("%s: MAIL FROM: %w", m, err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return fmt.Errorf("%s: RCPT TO %s: %w", m, r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("%s: DATA: %w", m, err)
	}
	if _, err := w.Write(crlf(msg)); err != nil {
		return fmt.Errorf("%s: DATA: %w", m, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("%s: DATA: %w", m, err)
	}
	return c.Quit()
}

// crlf turns LF line endings into CRLF, as SMTP wants.
func crlf(msg []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
}

type sendmailMailer struct{ args []string }

func (m *sendmailMailer) String() string { return "sendmail command " + strings.Join(m.args, " ") }

// Send runs "COMMAND -i -f FROM -- RCPT…" with the mail on stdin.
func (m *sendmailMailer) Send(ctx context.Context, from string, to []string, msg []byte) error {
	args := append(append(append([]string{}, m.args[1:]...), "-i", "-f", from, "--"), to...)
	cmd := exec.CommandContext(ctx, m.args[0], args...)
	cmd.Stdin = bytes.NewReader(msg)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", m, err, strings.TrimSpace(out.String()))
	}
	return nil
}
