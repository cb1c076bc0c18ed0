package publicinbox

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestName(t *testing.T) {
	for dir, want := range map[string]string{
		"/srv/lore/linux-nilfs":             "linux-nilfs",
		"/srv/lore/linux-nilfs/git/0.git":   "linux-nilfs",
		"/srv/lore/linux-nilfs.git":         "linux-nilfs",
		"/srv/mirrors/linux-fsdevel/git/12": "linux-fsdevel",
	} {
		if got := Name(dir); got != want {
			t.Errorf("Name(%q) = %q, want %q", dir, got, want)
		}
	}
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// Epochs come in numeric order (10 after 2); Read gives each commit's m in
// order, deletions without Raw, and says when since is not an ancestor.
func TestEpochsAndRead(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	inbox := t.TempDir()
	for _, n := range []string{"2", "10", "0"} {
		gitRun(t, inbox, "init", "-q", "--bare", filepath.Join("git", n+".git"))
	}
	eps, err := Epochs(inbox)
	if err != nil || len(eps) != 3 || !strings.HasSuffix(eps[0], "/0.git") || !strings.HasSuffix(eps[2], "/10.git") {
		t.Fatalf("Epochs: %v, %v", eps, err)
	}
	if err := Read(context.Background(), eps[0], "", func(Message) error { t.Error("a message in an empty epoch"); return nil }); err != nil {
		t.Errorf("empty epoch: %v", err)
	}
	work := t.TempDir()
	gitRun(t, work, "init", "-q")
	for _, body := range []string{"Subject: one\n\n1\n", "Subject: two\n\n2\n"} {
		os.WriteFile(filepath.Join(work, "m"), []byte(body), 0o644)
		gitRun(t, work, "add", "m")
		gitRun(t, work, "commit", "-q", "-m", "m")
	}
	gitRun(t, work, "rm", "-q", "m")
	gitRun(t, work, "commit", "-q", "-m", "d")
	eps, err = Epochs(work)
	if err != nil || len(eps) != 1 {
		t.Fatalf("Epochs of a plain repository: %v, %v", eps, err)
	}
	var got []string
	var commits []string
	err = Read(context.Background(), eps[0], "", func(m Message) error {
		got = append(got, string(m.Raw))
		commits = append(commits, m.Commit)
		return nil
	})
	if err != nil || len(got) != 3 || got[0] != "Subject: one\n\n1\n" || got[1] != "Subject: two\n\n2\n" || got[2] != "" {
		t.Fatalf("Read: %q, %v", got, err)
	}
	var after []string
	Read(context.Background(), eps[0], commits[0], func(m Message) error { after = append(after, m.Commit); return nil })
	if len(after) != 2 || after[0] != commits[1] {
		t.Errorf("Read since the first commit: %v", after)
	}
	stop := errors.New("stop")
	if err := Read(context.Background(), eps[0], "", func(Message) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("fn's error: %v", err)
	}
	if err := Read(context.Background(), eps[0], strings.Repeat("1", 40), func(Message) error { return nil }); !errors.Is(err, ErrNotAncestor) {
		t.Errorf("unknown since: %v", err)
	}
	if _, err := Epochs(t.TempDir()); err == nil {
		t.Errorf("Epochs of an empty directory: no error")
	}
	inside := filepath.Join(work, "sub")
	os.Mkdir(inside, 0o755)
	if _, err := Epochs(inside); err == nil {
		t.Errorf("Epochs of a directory inside a work tree: no error")
	}
}
