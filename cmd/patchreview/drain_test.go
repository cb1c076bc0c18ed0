package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"patchreview/storage"
)

// bigMbox is n small patch mails with distinct Message-IDs.
func bigMbox(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "From drain@example.org Thu Jan  1 00:00:00 2026\nFrom: Drain Test <drain@example.org>\nTo: list@example.org\n"+
			"Subject: [PATCH] drain: change %d\nMessage-ID: <drain-%d@example.org>\nDate: Thu, 1 Jan 2026 10:00:00 +0000\n\n"+
			"Change %d.\n\nSigned-off-by: Drain Test <drain@example.org>\n---\ndiff --git a/f%d.c b/f%d.c\n--- a/f%d.c\n+++ b/f%d.c\n"+
			"@@ -1,1 +1,2 @@\n int x;\n+int y%d;\n\n", i, i, i, i, i, i, i, i)
	}
	return b.Bytes()
}

// startServe runs 'serve' in-process with extra flags and returns its URL,
// a function that sends it SIGTERM (cancels its context), and its exit code.
func startServe(t *testing.T, db string, flags ...string) (base string, term func(), exit chan int, logs *lockedBuffer) {
	t.Helper()
	getenv := func(k string) string { return map[string]string{"PATCHREVIEW_DB": db}[k] }
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	logs = &lockedBuffer{}
	exit = make(chan int, 1)
	go func() {
		exit <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--no-worker"}, flags...), nil, logs, logs, getenv)
	}()
	urlRe := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/)`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := urlRe.FindStringSubmatch(logs.String()); m != nil {
			return m[1], cancel, exit, logs
		}
	}
	t.Fatalf("serve did not start: %s", logs.String())
	return
}

// TestSIGTERMDrainsUpload: SIGTERM during a large upload. With no grace the
// upload stops between two messages and the client gets a 503 that says
// how many were stored, which is what the database holds; the process exits
// 0. With grace, the upload finishes (200) and all is stored.
func TestSIGTERMDrainsUpload(t *testing.T) {
	const n = 2000
	mbox := bigMbox(n)
	for _, tc := range []struct {
		drain string
		want  int
	}{{"0s", http.StatusServiceUnavailable}, {"60s", http.StatusOK}} {
		t.Run("drain="+tc.drain, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "drain.db")
			var out, errb bytes.Buffer
			getenv := func(k string) string { return map[string]string{"PATCHREVIEW_DB": db}[k] }
			if run(context.Background(), []string{"user", "add", "--password-stdin", "U", "u@example.org"}, strings.NewReader("long enough pw\n"), &out, &errb, getenv) != 0 {
				t.Fatal(errb.String())
			}
			out.Reset()
			run(context.Background(), []string{"user", "token", "u@example.org"}, nil, &out, &errb, getenv)
			token := strings.TrimSpace(out.String())

			base, term, exit, logs := startServe(t, db, "--drain-timeout", tc.drain)
			type answer struct {
				code int
				body []byte
			}
			done := make(chan answer, 1)
			go func() {
				req, _ := http.NewRequest("POST", base+"api/v1/mbox", bytes.NewReader(mbox))
				req.Header.Set("Content-Type", "application/mbox")
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					done <- answer{0, []byte(err.Error())}
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				done <- answer{resp.StatusCode, b}
			}()
			// Wait until the upload is being stored, then SIGTERM.
			for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				var q struct {
					Queue struct{ Pending, Done, Failed int }
				}
				if resp, err := http.Get(base + "api/v1/status"); err == nil {
					json.NewDecoder(resp.Body).Decode(&q)
					resp.Body.Close()
				}
				if q.Queue.Pending+q.Queue.Done > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the upload never started storing")
				}
			}
			term()
			var a answer
			select {
			case a = <-done:
			case <-time.After(90 * time.Second):
				t.Fatal("no answer to the upload")
			}
			select {
			case code := <-exit:
				if code != 0 {
					t.Errorf("exit code %d, want 0: %s", code, logs.String())
				}
			case <-time.After(30 * time.Second):
				t.Fatal("serve did not exit")
			}
			if a.code != tc.want {
				t.Fatalf("upload answer %d, want %d: %s", a.code, tc.want, a.body)
			}
			st, err := storage.Open(context.Background(), db, storage.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			q, _ := st.QueueStatus(context.Background())
			stored := q.Pending + q.Done + q.Failed
			var got struct {
				Error  string
				Stored storage.IngestStats
				New    int
			}
			json.Unmarshal(a.body, &got)
			if tc.want == http.StatusOK {
				if got.New != n || stored != n {
					t.Errorf("with grace: %d reported new, %d stored, want %d", got.New, stored, n)
				}
				return
			}
			if !strings.Contains(got.Error, "shutting down") || got.Stored.New != stored || stored == 0 || stored >= n {
				t.Errorf("503 says %d stored (%q); the database holds %d of %d", got.Stored.New, got.Error, stored, n)
			}
			t.Logf("stopped after %d of %d messages, all of them reported", stored, n)
		})
	}
}
