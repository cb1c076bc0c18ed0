// Package nilfs opens the real linux-nilfs list archive for tests: the
// mboxrd file ../shared/corpora/lists/linux-nilfs.mbox.xz beside the
// repository, which is never copied into it. A test that needs it skips,
// saying why, when the archive or xz is absent.
package nilfs

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Path returns where the archive is expected: beside the repository that
// holds the working directory (the folder with go.mod).
func Path() string {
	root, _ := os.Getwd()
	for root != "/" {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		root = filepath.Dir(root)
	}
	return filepath.Join(root, "..", "shared", "corpora", "lists", "linux-nilfs.mbox.xz")
}

// Open streams the decompressed archive (an mboxrd); it is closed when the
// test ends. It skips the test when the archive or xz is absent.
func Open(tb testing.TB) io.Reader {
	tb.Helper()
	path := Path()
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("the real nilfs archive is not at %s (../shared/corpora/lists/ beside the repository): %v", path, err)
	}
	if _, err := exec.LookPath("xz"); err != nil {
		tb.Skip("xz is not installed (apt-get install xz-utils): cannot read linux-nilfs.mbox.xz")
	}
	cmd := exec.Command("xz", "-dc", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return out
}

// ReadAll returns the whole decompressed archive.
func ReadAll(tb testing.TB) []byte {
	tb.Helper()
	var b bytes.Buffer
	if _, err := b.ReadFrom(Open(tb)); err != nil {
		tb.Fatalf("reading %s: %v", Path(), err)
	}
	return b.Bytes()
}
