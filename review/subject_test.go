package review

import "testing"

// Version tags as they are written on real lists: "v2", Ryusuke Konishi's
// "-v2", and "v6a" (version 6 with a suffix kept for display).
func TestParseSubjectVersionStyles(t *testing.T) {
	for _, c := range []struct {
		subject   string
		version   int
		suffix    string
		versioned bool
		n, total  int
		title     string
	}{
		{"[PATCH v2 3/7] mm: fix", 2, "", true, 3, 7, "mm: fix"},
		{"[PATCH -v2 0/7] nilfs2: fix kernel-doc comments", 2, "", true, 0, 7, "nilfs2: fix kernel-doc comments"},
		{"[PATCH v6a 0/5] nilfs2: things", 6, "a", true, 0, 5, "nilfs2: things"},
		{"Re: [PATCH -V3 2/2] nilfs2: x", 3, "", true, 2, 2, "nilfs2: x"},
		{"[PATCH 0/6] nilfs2: fix kernel-doc comments", 1, "", false, 0, 6, "nilfs2: fix kernel-doc comments"},
		{"[PATCH v5.10 1/2] f: backport", 1, "", false, 1, 2, "f: backport"},
		{"[PATCH -next] f: x", 1, "", false, 0, 0, "f: x"},
	} {
		s := ParseSubject(c.subject)
		if s.Version != c.version || s.VersionSuffix != c.suffix || s.Versioned != c.versioned || s.Number != c.n || s.Total != c.total || s.Title != c.title {
			t.Errorf("%q: v%d%q versioned=%v %d/%d %q; want v%d%q %v %d/%d %q", c.subject, s.Version, s.VersionSuffix, s.Versioned,
				s.Number, s.Total, s.Title, c.version, c.suffix, c.versioned, c.n, c.total, c.title)
		}
		if s.HasTag("-v2") || s.HasTag("v6a") {
			t.Errorf("%q: version tag kept as a tag %v", c.subject, s.Tags)
		}
	}
}
