// Package publicinbox reads public-inbox archives (lore.kernel.org's
// format) through the git command: a list is one or more epochs, git
// repositories named 0.git, 1.git, … under DIR/git/, each commit adding one
// message as the file "m" (a commit that removes a message has "d"
// instead). It knows nothing about storage.
package publicinbox

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Epochs returns the epoch repositories of an archive, oldest first: the
// git directories DIR/git/N.git of a public-inbox v2 directory, or DIR
// itself when it is one git repository (one epoch cloned on its own, as
// with `git clone --mirror https://lore.kernel.org/LIST/0`).
func Epochs(dir string) ([]string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, err
	}
	matches, _ := filepath.Glob(filepath.Join(abs, "git", "*.git"))
	type epoch struct {
		n    int
		path string
	}
	var eps []epoch
	for _, m := range matches {
		n, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(m), ".git"))
		if err == nil {
			eps = append(eps, epoch{n, m})
		}
	}
	if len(eps) > 0 {
		sort.Slice(eps, func(i, j int) bool { return eps[i].n < eps[j].n })
		out := make([]string, len(eps))
		for i, e := range eps {
			out[i] = e.path
		}
		return out, nil
	}
	notRepo := fmt.Errorf("publicinbox: %s is neither a public-inbox directory (git/N.git) nor a git repository", dir)
	out, err := git(context.Background(), abs, "rev-parse", "--absolute-git-dir")
	if err != nil {
		return nil, notRepo
	}
	// Not a directory inside some other repository's work tree.
	gitDir := strings.TrimSpace(string(out))
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if real, err := filepath.EvalSymlinks(gitDir); err == nil {
		gitDir = real
	}
	if gitDir != abs && gitDir != filepath.Join(abs, ".git") {
		return nil, notRepo
	}
	return []string{gitDir}, nil
}

// Name is an archive's name for mail that carries no List-Id: the
// directory's base name without ".git", or for an epoch directory named
// "0.git" (or "0") the name of the directory above it ("git" skipped).
func Name(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	for {
		base := strings.TrimSuffix(filepath.Base(abs), ".git")
		if _, err := strconv.Atoi(base); err == nil || base == "git" {
			parent := filepath.Dir(abs)
			if parent == abs {
				return base
			}
			abs = parent
			continue
		}
		return base
	}
}

// HasRemote reports whether the repository has a remote to fetch from.
func HasRemote(ctx context.Context, gitDir string) bool {
	out, err := git(ctx, gitDir, "remote")
	return err == nil && len(bytes.TrimSpace(out)) > 0
}

// Fetch runs `git fetch` in the repository (for a mirror clone, this
// updates its branches).
func Fetch(ctx context.Context, gitDir string) error {
	_, err := git(ctx, gitDir, "fetch", "--quiet")
	return err
}

// Message is one message read from an epoch. Raw is nil for a commit
// without an "m" file (public-inbox removing a message).
type Message struct {
	Commit string
	Raw    []byte
}

// ErrNotAncestor says the remembered commit is not in the history of HEAD
// any more (the archive was rewritten): the caller reads it all again.
var ErrNotAncestor = errors.New("publicinbox: the last commit ingested is not an ancestor of HEAD")

// Read calls fn with each message committed after since (all when since
// is ""), oldest first, streaming: `git log --reverse` lists the commits
// and one `git cat-file --batch` reads their "m" files. Commits without an
// "m" file (deletions) come with a nil Raw. It stops at fn's first error or when
// ctx ends.
func Read(parent context.Context, gitDir, since string, fn func(Message) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	rng := "HEAD"
	if since != "" {
		if _, err := git(ctx, gitDir, "merge-base", "--is-ancestor", since, "HEAD"); err != nil {
			return ErrNotAncestor
		}
		rng = since + "..HEAD"
	}
	if _, err := git(ctx, gitDir, "rev-parse", "--verify", "--quiet", "HEAD"); err != nil {
		return nil // an empty repository
	}
	log := exec.CommandContext(ctx, "git", "--git-dir", gitDir, "log", "--reverse", "--format=%H", rng)
	logOut, err := log.StdoutPipe()
	if err != nil {
		return err
	}
	var logErr bytes.Buffer
	log.Stderr = &logErr
	cat := exec.CommandContext(ctx, "git", "--git-dir", gitDir, "cat-file", "--batch")
	catIn, err := cat.StdinPipe()
	if err != nil {
		return err
	}
	catOut, err := cat.StdoutPipe()
	if err != nil {
		return err
	}
	var catErr bytes.Buffer
	cat.Stderr = &catErr
	if err := log.Start(); err != nil {
		return err
	}
	if err := cat.Start(); err != nil {
		log.Process.Kill()
		log.Wait()
		return err
	}
	// Feed the commits to cat-file as git log lists them; the commit
	// names travel to the reader through a bounded channel.
	commits := make(chan string, 1024)
	feedErr := make(chan error, 1)
	go func() {
		defer close(commits)
		defer catIn.Close()
		sc := bufio.NewScanner(logOut)
		w := bufio.NewWriter(catIn)
		for sc.Scan() {
			c := strings.TrimSpace(sc.Text())
			if c == "" {
				continue
			}
			select {
			case commits <- c:
			case <-ctx.Done():
				feedErr <- ctx.Err()
				return
			}
			if _, err := w.WriteString(c + ":m\n"); err != nil {
				feedErr <- err
				return
			}
			if len(commits) == 0 { // the reader waits: send what we have
				if err := w.Flush(); err != nil {
					feedErr <- err
					return
				}
			}
		}
		if err := w.Flush(); err != nil {
			feedErr <- err
			return
		}
		feedErr <- sc.Err()
	}()
	br := bufio.NewReaderSize(catOut, 1<<20)
	readErr := func() error {
		for c := range commits {
			hdr, err := br.ReadString('\n')
			if err != nil {
				return fmt.Errorf("publicinbox: cat-file: %w", err)
			}
			f := strings.Fields(hdr)
			if len(f) == 2 && f[1] == "missing" {
				// A commit that deletes a message: reported without
				// Raw, so that the caller can remember it as read.
				if err := fn(Message{Commit: c}); err != nil {
					return err
				}
				continue
			}
			if len(f) != 3 || f[1] != "blob" {
				return fmt.Errorf("publicinbox: cat-file: unexpected %q", strings.TrimSpace(hdr))
			}
			size, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil {
				return fmt.Errorf("publicinbox: cat-file: %w", err)
			}
			raw := make([]byte, size)
			if _, err := io.ReadFull(br, raw); err != nil {
				return fmt.Errorf("publicinbox: cat-file: %w", err)
			}
			if _, err := br.Discard(1); err != nil { // the newline after the content
				return fmt.Errorf("publicinbox: cat-file: %w", err)
			}
			if err := fn(Message{Commit: c, Raw: raw}); err != nil {
				return err
			}
		}
		return nil
	}()
	if readErr != nil || parent.Err() != nil {
		cancel() // kills git, unblocks the feeder
	}
	for range commits { // let the feeder end
	}
	ferr := <-feedErr
	logWait := log.Wait()
	catWait := cat.Wait()
	switch {
	case readErr != nil:
		return readErr
	case parent.Err() != nil:
		return parent.Err()
	case ferr != nil:
		return fmt.Errorf("publicinbox: reading git log: %w", ferr)
	case logWait != nil:
		return fmt.Errorf("publicinbox: git log: %v: %s", logWait, strings.TrimSpace(logErr.String()))
	case catWait != nil:
		return fmt.Errorf("publicinbox: git cat-file: %v: %s", catWait, strings.TrimSpace(catErr.String()))
	}
	return nil
}

// git runs a git command on a repository and returns its output.
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	var cmd *exec.Cmd
	if fi, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil && !fi.IsDir() {
		cmd = exec.CommandContext(ctx, "git", append([]string{"--git-dir", dir}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
