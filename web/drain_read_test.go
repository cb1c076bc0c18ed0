package web

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"patchreview/web/inbound"
)

// TestDrainStopsSlowBodyRead: a shutdown that cannot wait stops a body
// still being received (a slow or stalled client: the mbox upload, the
// webhook) and answers 503 with Retry-After and a reason, instead of
// waiting for the body and closing the connection with no answer. Nothing
// was stored: the upload says so in "stored".
func TestDrainStopsSlowBodyRead(t *testing.T) {
	const secret = "hook-secret"
	mbox := readFixture(t, fixture)
	for _, tt := range []struct{ path, ctype string }{
		{"/api/v1/mbox", "application/mbox"},
		{"/api/v1/inbound", "message/rfc822"},
	} {
		s, st := newTestServer(t, Options{WebhookSecret: secret})
		ts := httptest.NewServer(s.Handler())
		t.Cleanup(ts.Close)
		auth := authorize(t, st, httptest.NewRequest("POST", tt.path, nil)).Header.Get("Authorization")
		// A raw connection, as curl: the headers promise the whole body,
		// half of it arrives, then the client stalls; the server drains.
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\n%s: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
			tt.path, ts.Listener.Addr(), auth, inbound.SignatureHeader, inbound.Sign(secret, mbox), tt.ctype, len(mbox))
		if _, err := conn.Write(mbox[:len(mbox)/2]); err != nil {
			t.Fatal(err)
		}
		s.Drain()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Errorf("POST %s: no answer to a body stopped by a shutdown: %v", tt.path, err)
			continue
		}
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Error  string
			Stored map[string]int
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("POST %s: not JSON: %v %s", tt.path, err, raw)
		}
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
			!strings.Contains(body.Error, "shutting down") || !strings.Contains(body.Error, "nothing was stored") {
			t.Errorf("POST %s stopped while received: %d Retry-After %q: %s", tt.path, resp.StatusCode, resp.Header.Get("Retry-After"), raw)
		}
		if tt.path == "/api/v1/mbox" && (body.Stored == nil || body.Stored["messages"] != 0 || body.Stored["new"] != 0) {
			t.Errorf("POST %s: stored %v, want the zero counts", tt.path, body.Stored)
		}
		var status struct {
			Queue struct{ Pending, Done, Failed *int }
		}
		if w := get(t, s, "/api/v1/status"); json.Unmarshal(w.Body.Bytes(), &status) != nil || status.Queue.Pending == nil || *status.Queue.Pending+*status.Queue.Done+*status.Queue.Failed != 0 {
			t.Errorf("POST %s: something was stored: %s", tt.path, w.Body)
		}
	}
}

// During a shutdown, a body that was read whole keeps its own answer: an
// upload over the limit is a 413 and a webhook body that is not mail a
// 400, not a 503 asking to send them again.
func TestDrainKeepsTheAnswersOfWholeBodies(t *testing.T) {
	s, st := newTestServer(t, Options{MaxUpload: 1024, InsecureHook: true})
	s.Drain() // the recorder cannot cut reads: the bodies are read whole
	req := httptest.NewRequest("POST", "/api/v1/mbox", strings.NewReader(strings.Repeat("x", 4096)))
	req.Header.Set("Content-Type", "application/mbox")
	if w := do(t, s, authorize(t, st, req)); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("an upload over the limit while draining: %d %s", w.Code, w.Body)
	}
	req = httptest.NewRequest("POST", "/api/v1/inbound", strings.NewReader("hello"))
	req.Header.Set("Content-Type", "text/plain")
	if w := do(t, s, req); w.Code != http.StatusBadRequest {
		t.Errorf("a webhook body that is not mail while draining: %d %s", w.Code, w.Body)
	}
}
