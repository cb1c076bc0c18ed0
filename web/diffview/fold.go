package diffview

import "strconv"

// foldable reports whether a row may be folded away: plain context with
// nothing attached and no open form.
func foldable(r *Row) bool { return r.Kind == KindCtx && !r.HasNotes && r.Form == nil }

// foldContext folds long runs of unchanged lines into a collapsed row
// followed by the folded rows marked Hidden, so that the page works without
// JavaScript (the row links to expand, a ?context=all reload) and with it
// (the script un-hides the rows of the fold in place).
func foldContext(fv *FileView, expandAll bool, expandURL string) {
	if expandAll {
		return
	}
	out := make([]*Row, 0, len(fv.Rows)+4)
	folds := 0
	for i := 0; i < len(fv.Rows); {
		if !foldable(fv.Rows[i]) {
			out = append(out, fv.Rows[i])
			i++
			continue
		}
		j := i
		for j < len(fv.Rows) && foldable(fv.Rows[j]) {
			j++
		}
		from, to := foldRange(fv.Rows, i, j)
		if to-from < minFolded {
			out = append(out, fv.Rows[i:j]...)
			i = j
			continue
		}
		folds++
		fold := fv.ID + "-x" + strconv.Itoa(folds)
		out = append(out, fv.Rows[i:from]...)
		out = append(out, &Row{
			Kind: KindCollapsed, ID: fold, Fold: fold,
			Label: plural(to-from, "unchanged line", "unchanged lines"),
			Link:  expandURL + "#" + fv.Rows[from].ID,
		})
		for _, r := range fv.Rows[from:to] {
			r.Hidden, r.Fold = true, fold
			out = append(out, r)
		}
		out = append(out, fv.Rows[to:j]...)
		i = j
	}
	fv.Rows = out
}

// foldRange returns the part [from, to) of the context run rows[i:j] to
// fold: all but keepContext lines next to each change. A run that starts a
// hunk keeps only its end, one that ends a hunk only its start.
func foldRange(rows []*Row, i, j int) (from, to int) {
	startsHunk := i == 0 || rows[i-1].Kind == KindHunk || rows[i-1].Kind == KindGap
	endsHunk := j == len(rows) || rows[j].Kind == KindHunk || rows[j].Kind == KindGap
	from, to = i+keepContext, j-keepContext
	if startsHunk {
		from = i
	}
	if endsHunk {
		to = j
	}
	if to < from {
		to = from
	}
	return from, to
}

// SplitRow is one row of the side-by-side view. Context rows show the same
// Row on both sides; in a change block the n-th deletion sits beside the
// n-th addition. Left or Right is nil where a side has no line.
type SplitRow struct {
	Kind     string // KindCtx, "change", or a meta kind (hunk, collapsed, gap)
	Meta     *Row   // for hunk, collapsed and gap rows
	Left     *Row
	Right    *Row
	Hidden   bool
	Fold     string
	Notes    []*Note // the notes of both sides
	HasNotes bool
	Form     *CommentForm // the form open under the right side's line, or the left's removed line
}

// KindChange marks a split row of a change block.
const KindChange = "change"

// splitRows pairs the unified rows into side-by-side rows.
func splitRows(rows []*Row) []*SplitRow {
	out := make([]*SplitRow, 0, len(rows))
	for i := 0; i < len(rows); {
		r := rows[i]
		switch r.Kind {
		case KindCtx:
			out = append(out, pairRow(KindCtx, r, r))
			i++
		case KindAdd, KindDel:
			j := i
			var dels, adds []*Row
			for ; j < len(rows) && (rows[j].Kind == KindAdd || rows[j].Kind == KindDel); j++ {
				if rows[j].Kind == KindDel {
					dels = append(dels, rows[j])
				} else {
					adds = append(adds, rows[j])
				}
			}
			out = append(out, pairBlock(dels, adds)...)
			i = j
		default:
			out = append(out, &SplitRow{Kind: r.Kind, Meta: r, Fold: r.Fold})
			i++
		}
	}
	return out
}

// pairBlock sets the deletions and additions of one change block side by side.
func pairBlock(dels, adds []*Row) []*SplitRow {
	n := max(len(dels), len(adds))
	out := make([]*SplitRow, 0, n)
	for k := 0; k < n; k++ {
		var l, r *Row
		if k < len(dels) {
			l = dels[k]
		}
		if k < len(adds) {
			r = adds[k]
		}
		out = append(out, pairRow(KindChange, l, r))
	}
	return out
}

func pairRow(kind string, l, r *Row) *SplitRow {
	s := &SplitRow{Kind: kind, Left: l, Right: r}
	if l != nil {
		s.Hidden, s.Fold = l.Hidden, l.Fold
		s.Notes = append(s.Notes, l.Notes...)
		if l.Kind == KindDel {
			s.Form = l.Form
		}
	}
	if r != nil && r.Form != nil {
		s.Form = r.Form
	}
	if r != nil && r != l {
		s.Notes = append(s.Notes, r.Notes...)
	}
	s.HasNotes = len(s.Notes) > 0
	return s
}
