package review

import (
	"fmt"
	"strings"
	"testing"
)

// patchOf builds a one-file diff of fs/a.c from hunk texts.
func patchOf(t *testing.T, path string, hunks ...string) []*File {
	t.Helper()
	d := fmt.Sprintf("diff --git a/%[1]s b/%[1]s\n--- a/%[1]s\n+++ b/%[1]s\n%s", path, strings.Join(hunks, ""))
	files, err := ParseDiff(d)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

const (
	hunkB5   = "@@ -3,5 +3,5 @@ int f(void)\n l3\n l4\n-l5\n+b5\n l6\n l7\n"
	hunkC5   = "@@ -3,5 +3,5 @@ int f(void)\n l3\n l4\n-l5\n+c5\n l6\n l7\n"
	hunkX40  = "@@ -38,5 +38,6 @@ int g(void)\n l38\n l39\n-l40\n+x40\n+y40\n l41\n l42\n"
	hunkIns  = "@@ -20,0 +21,1 @@ int h(void)\n+ins\n"
	hunkIns2 = "@@ -20,0 +21,2 @@ int h(void)\n+ins\n+more\n"
	// The same change as hunkC5 against a base with 10 more lines above.
	hunkC5Moved = "@@ -13,5 +13,5 @@ int f(void)\n l3\n l4\n-l5\n+c5\n l6\n l7\n"
	// The same again with one more line of context on each side.
	hunkC5Wider = "@@ -12,7 +12,7 @@ int f(void)\n l2\n l3\n l4\n-l5\n+c5\n l6\n l7\n l8\n"
)

// render shows hunks as "@@ o,n +o,n" then lines " 3/3 l3", "-5/ b5".
func renderHunks(fs []*File) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s\n", f.Path())
		for _, h := range f.Hunks {
			fmt.Fprintf(&b, "@@ -%d,%d +%d,%d %s\n", h.OldStart, h.OldLines, h.NewStart, h.NewLines, h.Section)
			for _, l := range h.Lines {
				mark := map[LineKind]string{LineContext: " ", LineAdd: "+", LineDel: "-"}[l.Kind]
				fmt.Fprintf(&b, "%s%d/%d %s\n", mark, l.Old, l.New, l.Text)
			}
		}
	}
	return b.String()
}

func TestInterdiff(t *testing.T) {
	cases := []struct {
		name   string
		v1, v2 []*File
		want   string
		notes  string
	}{
		{"a line changed in v2", patchOf(t, "fs/a.c", hunkB5), patchOf(t, "fs/a.c", hunkC5),
			"fs/a.c\n@@ -3,5 +3,5 int f(void)\n 3/3 l3\n 4/4 l4\n-5/0 b5\n+0/5 c5\n 6/6 l6\n 7/7 l7\n", ""},
		{"a hunk added in v2", patchOf(t, "fs/a.c", hunkB5), patchOf(t, "fs/a.c", hunkB5, hunkX40),
			"fs/a.c\n@@ -38,5 +38,6 int g(void)\n 38/38 l38\n 39/39 l39\n-40/0 l40\n+0/40 x40\n+0/41 y40\n 41/42 l41\n 42/43 l42\n", ""},
		{"a change dropped in v2", patchOf(t, "fs/a.c", hunkB5, hunkX40), patchOf(t, "fs/a.c", hunkB5),
			"fs/a.c\n@@ -38,6 +38,5 int g(void)\n 38/38 l38\n 39/39 l39\n-40/0 x40\n-41/0 y40\n+0/40 l40\n 42/41 l41\n 43/42 l42\n", ""},
		{"an insertion grown, after an earlier change shifts nothing", patchOf(t, "fs/a.c", hunkB5, hunkIns), patchOf(t, "fs/a.c", hunkB5, hunkIns2),
			"fs/a.c\n@@ -21,1 +21,2 int h(void)\n 21/21 ins\n+0/22 more\n", ""},
		{"unchanged", patchOf(t, "fs/a.c", hunkB5, hunkX40), patchOf(t, "fs/a.c", hunkB5, hunkX40),
			"", "fs/a.c: unchanged since the earlier version"},
		{"file added and file dropped", patchOf(t, "fs/a.c", hunkB5), patchOf(t, "fs/b.c", hunkB5),
			// both shown in full: the new file as this version changes it,
			// the dropped one as its change undone
			"fs/b.c\n@@ -3,5 +3,5 int f(void)\n 3/3 l3\n 4/4 l4\n-5/0 l5\n+0/5 b5\n 6/6 l6\n 7/7 l7\n" +
				"fs/a.c\n@@ -3,5 +3,5 int f(void)\n 3/3 l3\n 4/4 l4\n-5/0 b5\n+0/5 l5\n 6/6 l6\n 7/7 l7\n",
			"fs/b.c: new in this version (+1 -1): shown as this version changes it|fs/a.c: dropped: the earlier version changed it (+1 -1), this one does not; shown as the change undone"},
		{"rebased: paired by function", patchOf(t, "fs/a.c", hunkB5), patchOf(t, "fs/a.c", hunkC5Moved),
			"fs/a.c\n@@ -3,5 +13,5 int f(void)\n 3/13 l3\n 4/14 l4\n-5/0 b5\n+0/15 c5\n 6/16 l6\n 7/17 l7\n",
			"fs/a.c: the versions apply to different base text (rebased?): hunks are paired by function and order, and line numbers are each version's own"},
		{"rebased: context extents differ", patchOf(t, "fs/a.c", hunkB5), patchOf(t, "fs/a.c", hunkC5Wider),
			"fs/a.c\n@@ -3,5 +13,5 int f(void)\n 3/13 l3\n 4/14 l4\n-5/0 b5\n+0/15 c5\n 6/16 l6\n 7/17 l7\n",
			"fs/a.c: the versions apply to different base text (rebased?): hunks are paired by function and order, and line numbers are each version's own"},
		{"rebased: a new function hunk is noted", patchOf(t, "fs/a.c", hunkB5), patchOf(t, "fs/a.c", hunkC5Moved, hunkX40),
			"fs/a.c\n@@ -3,5 +13,5 int f(void)\n 3/13 l3\n 4/14 l4\n-5/0 b5\n+0/15 c5\n 6/16 l6\n 7/17 l7\n",
			"fs/a.c: the versions apply to different base text (rebased?): hunks are paired by function and order, and line numbers are each version's own|fs/a.c: new hunk in this version at line 38, int g(void)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Interdiff(c.v1, c.v2)
			if err != nil {
				t.Fatal(err)
			}
			if got := renderHunks(res.Files); got != c.want {
				t.Errorf("interdiff:\n%s\nwant:\n%s", got, c.want)
			}
			var notes []string
			for _, n := range res.Notes {
				notes = append(notes, n.Path+": "+n.Text)
			}
			if got := strings.Join(notes, "|"); got != c.notes {
				t.Errorf("notes:\n%s\nwant:\n%s", got, c.notes)
			}
		})
	}
}

func TestInterdiffOddInput(t *testing.T) {
	odd := []*File{nil, {NewName: "x", Hunks: []*Hunk{{OldStart: 5, OldLines: 3, NewStart: 5, NewLines: 1}}}, {NewName: "bin", IsBinary: true}}
	res, err := Interdiff(odd, append(odd, &File{NewName: "y"}))
	if err != nil || res == nil {
		t.Fatalf("odd input: %v", err)
	}
	if _, err := Interdiff(nil, nil); err != nil {
		t.Error(err)
	}
}

func FuzzInterdiff(f *testing.F) {
	wrap := func(h ...string) string {
		return "diff --git a/fs/a.c b/fs/a.c\n--- a/fs/a.c\n+++ b/fs/a.c\n" + strings.Join(h, "")
	}
	f.Add(wrap(hunkB5, hunkIns), wrap(hunkC5Moved, hunkX40))
	f.Add(wrap(hunkB5, hunkX40), wrap(hunkC5Wider, hunkIns2))
	f.Fuzz(func(t *testing.T, a, b string) {
		v1, _ := ParseDiff(a)
		v2, _ := ParseDiff(b)
		res, err := Interdiff(v1, v2)
		if err != nil || res == nil {
			t.Fatalf("Interdiff failed: %v", err)
		}
		for _, f := range res.Files {
			for _, h := range f.Hunks {
				if len(h.Lines) == 0 {
					t.Errorf("empty hunk in %s", f.Path())
				}
			}
		}
	})
}
