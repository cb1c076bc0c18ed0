package checker

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOptionsTree(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.c")
	if err := os.WriteFile(file, []byte("int x;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts, err := Options("6.12", dir)
	if err != nil || opts.Tree == nil || opts.KernelVersion != "6.12" {
		t.Fatalf("Options(6.12, dir) = %+v, %v", opts, err)
	}
	if b, err := fs.ReadFile(opts.Tree, "f.c"); err != nil || string(b) != "int x;\n" {
		t.Errorf("the tree reads f.c as %q, %v", b, err)
	}
	if opts, err := Options("", ""); err != nil || opts.Tree != nil {
		t.Errorf("no tree: %+v, %v", opts, err)
	}
	for _, bad := range []string{file, filepath.Join(dir, "missing")} {
		_, err := Options("", bad)
		if err == nil || !strings.Contains(err.Error(), "--tree") || !strings.Contains(err.Error(), "is not a directory") {
			t.Errorf("Options(%q) = %v, want a --tree error", bad, err)
		}
		if _, nerr := New("", bad); nerr == nil || nerr.Error() != err.Error() {
			t.Errorf("New(%q) = %v, want Options' error %v", bad, nerr, err)
		}
	}
}
