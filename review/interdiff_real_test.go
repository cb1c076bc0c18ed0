package review

import (
	"strings"
	"testing"
)

// firstPatch returns the files of the first patch mail in an mbox. It cuts
// the diff from the decoded body itself (up to the "-- " signature) rather
// than taking Patch.Diff, which loses a final whitespace-only context line.
func firstPatch(t *testing.T, path string) []*File {
	t.Helper()
	for _, raw := range mboxMessages(t, path) {
		m, err := ParseMessage(raw)
		if err != nil || m.Kind != KindPatch {
			continue
		}
		body := m.Body[strings.Index(m.Body, "diff --git"):]
		body, _, _ = strings.Cut(body, "\n-- \n")
		files, err := ParseDiff(body + "\n")
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return files
	}
	t.Fatalf("%s: no patch", path)
	return nil
}

// postImageLines maps new-side line numbers to text over a patch's hunks.
func postImageLines(files []*File) map[string]map[int]string {
	out := map[string]map[int]string{}
	for _, f := range files {
		m := map[int]string{}
		for _, h := range f.Hunks {
			for _, l := range h.Lines {
				if l.Kind != LineDel {
					m[l.New] = l.Text
				}
			}
		}
		out[f.Path()] = m
	}
	return out
}

// TestInterdiffRealVersions compares successive versions of a real cifs
// patch (the versions apply to different trees). Every line the interdiff
// shows must be the line the earlier version leaves (Old) or the later one
// leaves (New) at that number, wherever that version's hunks show it.
func TestInterdiffRealVersions(t *testing.T) {
	dir := "testdata/real-mail/cifs-fix-pagecache-leak-writepages-"
	versions := []string{"v1-6.6", "v2", "v3", "v4"}
	for i := 1; i < len(versions); i++ {
		v1, v2 := firstPatch(t, dir+versions[i-1]+".mbox"), firstPatch(t, dir+versions[i]+".mbox")
		res, err := Interdiff(v1, v2)
		if err != nil {
			t.Fatal(err)
		}
		old, cur := postImageLines(v1), postImageLines(v2)
		shown := 0
		for _, f := range res.Files {
			for _, h := range f.Hunks {
				for _, l := range h.Lines {
					if t1, ok := old[f.OldName][l.Old]; ok && l.Kind != LineAdd && t1 != l.Text {
						t.Errorf("%s→%s: old line %d is %q, v1 has %q", versions[i-1], versions[i], l.Old, l.Text, t1)
					}
					if t2, ok := cur[f.NewName][l.New]; ok && l.Kind != LineDel && t2 != l.Text {
						t.Errorf("%s→%s: new line %d is %q, v2 has %q", versions[i-1], versions[i], l.New, l.Text, t2)
					}
					shown++
				}
			}
		}
		var notes []string
		for _, n := range res.Notes {
			notes = append(notes, n.Text)
		}
		t.Logf("%s→%s: notes %q\n%s", versions[i-1], versions[i], notes, renderHunks(res.Files))
		if shown == 0 && len(notes) == 0 {
			t.Errorf("%s→%s: neither a diff nor a note", versions[i-1], versions[i])
		}
	}
}
