package review

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// memIndex is an in-memory ThreadIndex that mirrors what storage records:
// each placed message registers its own id and its references on its series.
type memIndex struct {
	series []*SeriesInfo
	titles map[int64][]string
	refs   map[string][]int64
	covers map[int64]int
	counts map[int64]int
}

func newMemIndex() *memIndex {
	return &memIndex{titles: map[int64][]string{}, refs: map[string][]int64{}, covers: map[int64]int{}, counts: map[int64]int{}}
}

func (x *memIndex) SeriesByRef(ref string) ([]SeriesInfo, error) {
	var out []SeriesInfo
	for _, id := range x.refs[ref] {
		out = append(out, *x.series[id-1])
	}
	return out, nil
}

func (x *memIndex) RecentSeries(author string, from, to time.Time) ([]SeriesInfo, error) {
	var out []SeriesInfo
	for i := len(x.series) - 1; i >= 0; i-- {
		if s := x.series[i]; s.Author == author && !s.Created.Before(from) && !s.Created.After(to) {
			out = append(out, *s)
		}
	}
	return out, nil
}

func (x *memIndex) PreviousVersion(author string, titles []string, version int) (int64, error) {
	for i := len(x.series) - 1; i >= 0; i-- {
		s := x.series[i]
		if s.Author != author || s.Version >= version {
			continue
		}
		for _, t := range x.titles[s.ID] {
			for _, want := range titles {
				if t == want {
					return s.ID, nil
				}
			}
		}
	}
	return 0, nil
}

// add places m and records it.
func (x *memIndex) add(t *testing.T, m *Message) {
	pl, err := PlaceInSeries(m, x)
	if err != nil {
		t.Fatal(err)
	}
	id := pl.SeriesID
	if id == 0 {
		id = int64(len(x.series) + 1)
		x.series = append(x.series, &SeriesInfo{ID: id, Version: m.Subject.Version, Total: m.Subject.Total,
			Numbers: map[int]bool{}, Author: m.From.Email, Created: m.Date, Tags: TagKey(m.Subject)})
	}
	s := x.series[id-1]
	if m.Kind == KindCover {
		s.HasCover = true
		s.Cover = m.MessageID
		if m.Subject.Versioned {
			s.Version = m.Subject.Version
		}
		x.covers[id]++
	} else {
		if s.Answers == nil {
			s.Answers = map[string]bool{}
		}
		s.Answers[m.InReplyTo] = true
		s.Numbers[m.Subject.Number] = true
		x.counts[id]++
	}
	x.titles[id] = append(x.titles[id], m.Subject.Title)
	for _, r := range append([]string{m.MessageID, m.InReplyTo}, m.References...) {
		if r != "" {
			x.refs[r] = append(x.refs[r], id)
		}
	}
}

func TestPatchworkSeries(t *testing.T) {
	tests := []struct {
		file                      string
		covers, patches, comments int
		split                     string // patches per series, then covers per series
	}{
		{"base-single-patch", 0, 1, 0, "[1] []"},
		{"base-cover-letter", 1, 2, 0, "[2] [1]"},
		{"base-no-cover-letter", 0, 2, 0, "[2] []"},
		{"base-deep-threaded", 1, 2, 0, "[2] [1]"},
		{"base-out-of-order", 1, 2, 0, "[2] [1]"},
		{"base-different-versions", 1, 4, 0, "[4] [1]"},
		{"bugs-multiple-references", 1, 4, 0, "[4] [1]"},
		{"base-no-references", 0, 2, 0, "[2] []"},
		{"base-no-references-no-cover", 1, 2, 0, "[2] [1]"},
		{"bugs-multiple-content-types", 0, 1, 1, "[1] []"},
		{"revision-basic", 2, 4, 0, "[2 2] [1 1]"},
		{"revision-threaded-to-single-patch", 0, 2, 0, "[1 1] []"},
		{"revision-threaded-to-cover", 2, 4, 0, "[2 2] [1 1]"},
		{"revision-threaded-to-patch", 2, 4, 0, "[2 2] [1 1]"},
		{"revision-out-of-order", 2, 4, 0, "[2 2] [1 1]"},
		{"revision-no-cover-letter", 1, 4, 0, "[2 2] [1]"},
		{"revision-unlabeled", 2, 4, 0, "[2 2] [1 1]"},
		{"revision-unlabeled-noreferences", 0, 4, 0, "[2 2] []"},
		{"bugs-unnumbered", 1, 2, 0, "[1 1] [1]"},
		{"bugs-nocover-noversion", 0, 4, 0, "[2 2] []"},
		{"bugs-nocover", 0, 4, 0, "[2 2] []"},
		{"bugs-spamming", 0, 3, 0, "[1 1 1] []"},
		{"bugs-mixed-versions", 0, 2, 0, "[1 1] []"},
		{"base-incomplete", 1, 1, 0, "[1] [1]"},
		{"base-extra-patches", 1, 3, 0, "[3] [1]"},
		{"mercurial-cover-letter", 1, 2, 0, "[2] [1]"},
		{"mercurial-no-cover-letter", 0, 2, 0, "[2] []"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			x := newMemIndex()
			var covers, patches, comments int
			err := SplitMbox(bytes.NewReader(mustRead(t, filepath.Join("patchwork/series", tt.file+".mbox"))), func(raw []byte) error {
				m, err := ParseMessage(raw)
				if err != nil {
					return err
				}
				switch m.Kind {
				case KindCover:
					covers++
					x.add(t, m)
				case KindPatch:
					patches++
					x.add(t, m)
				default:
					comments++
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if covers != tt.covers || patches != tt.patches || comments != tt.comments {
				t.Errorf("[covers patches comments] = [%d %d %d], want [%d %d %d]", covers, patches, comments, tt.covers, tt.patches, tt.comments)
			}
			var ps, cs []int
			for _, s := range x.series {
				ps = append(ps, x.counts[s.ID])
				if x.covers[s.ID] > 0 {
					cs = append(cs, x.covers[s.ID])
				}
			}
			sort.Ints(ps)
			if got := fmt.Sprintf("%v %v", ps, cs); got != tt.split {
				t.Errorf("series split %s, want %s", got, tt.split)
			}
		})
	}
}
