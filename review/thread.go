package review

import (
	"regexp"
	"strings"
	"time"
)

// SeriesInfo is what threading needs to know about a stored series.
type SeriesInfo struct {
	ID       int64
	Version  int
	Total    int
	HasCover bool
	Numbers  map[int]bool // patch numbers already in the series
	Author   string       // email
	Created  time.Time
	Tags     string // TagKey of the series' first mail: "autosel 5.10 patch"
	List     string // List-Id of the series' first mail, or ""
	Cover    string // the cover letter's Message-ID, or ""
	// Answers holds the In-Reply-To of the series' patches: the mail
	// they were sent in reply to (their cover letter, when it comes late).
	Answers map[string]bool
}

// TagKey names a subject's bracket tags, in order and lower case, so that
// the unthreaded fallback never merges "[PATCH AUTOSEL 5.10 1/2]" with
// "[PATCH AUTOSEL 5.4 2/2]".
func TagKey(s Subject) string {
	return strings.ToLower(strings.Join(s.Tags, " "))
}

// ThreadIndex looks up stored series for PlaceInSeries. storage implements
// it in SQL; tests implement it in memory.
type ThreadIndex interface {
	// SeriesByRef returns the series that contain, or were referenced by,
	// the message with that id.
	SeriesByRef(ref string) ([]SeriesInfo, error)
	// RecentSeries returns the author's series created from one time to
	// another (both included), newest first.
	RecentSeries(author string, from, to time.Time) ([]SeriesInfo, error)
	// PreviousVersion returns the newest series by author with a version
	// lower than version whose cover or patch titles include one of titles.
	PreviousVersion(author string, titles []string, version int) (int64, error)
}

// Placement says where a patch or cover letter goes.
type Placement struct {
	SeriesID    int64 // 0: start a new series
	PrevVersion int64 // for a new series: the earlier version it revises, or 0
}

// unthreadedWindow is how far apart in time, either way, a patch without
// usable references and the rest of its series by the same author may be.
const unthreadedWindow = 24 * time.Hour

// PlaceInSeries decides which series a patch or cover letter belongs to, as
// patchwork does: first through its references (nearest first), then, for
// mail without usable references, a recent series by the same author with
// the same version and count. A series takes each number and its cover once,
// so a resend starts a new series; a different explicit version starts a new
// series linked to the old one as its previous version.
func PlaceInSeries(m *Message, idx ThreadIndex) (Placement, error) {
	var pl Placement
	refs := append([]string{m.MessageID, m.InReplyTo}, reversed(m.References)...)
	threaded := false
	for _, ref := range refs {
		if ref == "" {
			continue
		}
		cands, err := idx.SeriesByRef(ref)
		if err != nil {
			return pl, err
		}
		for _, c := range cands {
			threaded = true
			if fits(m, c, true) || nakedFits(m, c, ref) || coverFits(m, c, ref) {
				pl.SeriesID = c.ID
				return pl, nil
			}
			if c.Version < m.Subject.Version && pl.PrevVersion == 0 && c.Author == m.From.Email {
				pl.PrevVersion = c.ID
			}
		}
	}
	if !threaded && m.Subject.Total > 0 {
		// mail is not ingested in date order: the window is both ways
		cands, err := idx.RecentSeries(m.From.Email, m.Date.Add(-unthreadedWindow), m.Date.Add(unthreadedWindow))
		if err != nil {
			return pl, err
		}
		for _, c := range cands {
			// close in time both ways (RecentSeries reads the window by
			// its index; this is the rule, also for a date out of the
			// index's range, such as a mail without one), same author
			// (RecentSeries), same tags
			if d := c.Created.Sub(m.Date); d > unthreadedWindow || d < -unthreadedWindow || c.Tags != TagKey(m.Subject) ||
				c.List != "" && m.ListID != "" && c.List != m.ListID {
				continue
			}
			if fits(m, c, false) {
				pl.SeriesID = c.ID
				return pl, nil
			}
		}
	}
	if pl.PrevVersion == 0 && m.Subject.Version > 1 {
		prev, err := idx.PreviousVersion(m.From.Email, []string{m.Subject.Title}, m.Subject.Version)
		if err != nil {
			return pl, err
		}
		pl.PrevVersion = prev
	}
	return pl, nil
}

// fits reports whether m can join series c. An unversioned patch threaded
// under a versioned cover takes the cover's version.
func fits(m *Message, c SeriesInfo, viaRef bool) bool {
	if m.Subject.Total == 0 || c.Total != m.Subject.Total {
		return false
	}
	if c.Version != m.Subject.Version && !(viaRef && !m.Subject.Versioned) {
		return false
	}
	if m.Kind == KindCover {
		return !c.HasCover
	}
	return !c.Numbers[m.Subject.Number]
}

// coverFits reports whether m joins c because it is c's cover letter or
// answers it directly, as b4 threads: patches sent in reply to a cover
// letter belong to its series, whichever arrives first, even when their
// subjects carry no version ("[PATCH RFC v5 00/29]" answered by
// "[PATCH 01/29]") or another total ("[PATCH v2 00/89]" answered by
// "[PATCH v2 01/92]"). An explicit version other than the series' is a
// reroll sent in reply to the old cover, not a member.
func coverFits(m *Message, c SeriesInfo, ref string) bool {
	switch m.Kind {
	case KindCover:
		// the patches came first and answer this cover
		return ref == m.MessageID && !c.HasCover && c.Answers[m.MessageID] &&
			(c.Version == m.Subject.Version || c.Version == 1)
	case KindPatch:
		return ref == m.InReplyTo && c.Cover != "" && c.Cover == ref && m.Subject.Number > 0 && !c.Numbers[m.Subject.Number] &&
			(!m.Subject.Versioned || m.Subject.Version == c.Version)
	}
	return false
}

// nakedFits reports whether m joins c through a naked cover letter (one
// without n/N): the cover joins the series whose patches answer it; a patch
// joins the cover's series when it answers that cover. Same author only.
func nakedFits(m *Message, c SeriesInfo, ref string) bool {
	if c.Author != m.From.Email {
		return false
	}
	switch {
	case m.Kind == KindCover && m.Subject.Total == 0:
		return ref == m.MessageID && !c.HasCover
	case m.Kind == KindPatch && m.Subject.Total > 0:
		return c.Total == 0 && c.HasCover && len(c.Numbers) == 0 && ref == m.InReplyTo
	}
	return false
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

var changeIDRe = regexp.MustCompile(`(?m)^change-id:\s*(\S+)\s*$`)

// ChangeID returns the "change-id:" b4 writes in a cover letter (the same
// for every version of a series), or "".
func ChangeID(body string) string {
	if m := changeIDRe.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}
