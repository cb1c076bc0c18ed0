package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"patchreview/review"
	"patchreview/web/inbound"
)

// startServer runs the built binary and returns its base URL, reading the
// address from the startup log line.
func startServer(t *testing.T, bin string, env []string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	urlRe := regexp.MustCompile(`url=(http://\S+/)`)
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := urlRe.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stderr)
			return cmd, m[1]
		}
	}
	t.Fatalf("server printed no URL")
	return nil, ""
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

// TestKilledMidQueueResumesOnRestart accepts mail through the webhook while
// processing is held back, kills the server with SIGKILL, restarts it, and
// shows that everything accepted gets parsed, threaded and checked.
func TestKilledMidQueueResumesOnRestart(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "patchreview")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	const secret = "s3cret"
	env := []string{"PATCHREVIEW_DB=" + filepath.Join(dir, "q.db"), "PATCHREVIEW_WEBHOOK_SECRET=" + secret}

	cmd, base := startServer(t, bin, env, "--no-worker")
	data, _ := os.ReadFile("../../storage/testdata/shadowfs-v1-v2.mbox")
	n := 0
	review.SplitMbox(bytes.NewReader(data), func(raw []byte) error {
		req, _ := http.NewRequest("POST", base+"api/v1/inbound", bytes.NewReader(raw))
		req.Header.Set("Content-Type", "message/rfc822")
		req.Header.Set(inbound.SignatureHeader, inbound.Sign(secret, raw))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("message %d: status %d", n, resp.StatusCode)
		}
		n++
		return nil
	})
	var st struct{ Queue struct{ Pending, Done int } }
	getJSON(t, base+"api/v1/status", &st)
	if st.Queue.Pending != n || st.Queue.Done != 0 {
		t.Fatalf("before the kill: %+v, want %d pending", st.Queue, n)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	_, base = startServer(t, bin, env)
	deadline := time.Now().Add(60 * time.Second)
	for {
		getJSON(t, base+"api/v1/status", &st)
		if st.Queue.Pending == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if st.Queue.Pending != 0 || st.Queue.Done != n {
		t.Fatalf("after restart: %+v, want all %d done", st.Queue, n)
	}
	var list struct {
		Series []struct{ ID, Version, Patches, Errors int }
	}
	getJSON(t, base+"api/v1/series", &list)
	if len(list.Series) != 2 || list.Series[0].Version != 2 || list.Series[0].Patches != 2 || list.Series[0].Errors == 0 {
		t.Fatalf("after restart the series are %+v; want v2 with 2 patches, checked (errors found)", list.Series)
	}
}
