package review

// diffLines diffs two numbered line lists and returns unified hunks with
// interdiffContext lines of context: Old numbers from a, New from b. With
// trimEdges, lines at either end that only one side shows, as unchanged
// context of its hunk, are dropped: two hunks of the same change often
// carry different amounts of context.
func diffLines(a, b []numLine, section string, trimEdges bool) []*Hunk {
	lines, fromCtx := editScript(a, b)
	if trimEdges {
		lines = trimContextEdges(lines, fromCtx)
	}
	var out []*Hunk
	for i := 0; i < len(lines); {
		if lines[i].Kind == LineContext {
			i++
			continue
		}
		from := max(0, i-interdiffContext)
		end := i
		for end < len(lines) {
			if lines[end].Kind != LineContext {
				end++
				continue
			}
			run := end
			for run < len(lines) && lines[run].Kind == LineContext {
				run++
			}
			if run == len(lines) || run-end > 2*interdiffContext {
				end = min(end+interdiffContext, run)
				break
			}
			end = run
		}
		out = append(out, makeHunk(lines[from:end], section))
		i = end
	}
	return out
}

// makeHunk sets the header numbers of a run of lines.
func makeHunk(lines []Line, section string) *Hunk {
	h := &Hunk{Section: section, Lines: append([]Line(nil), lines...)}
	for _, l := range lines {
		if l.Kind != LineAdd {
			if h.OldLines == 0 {
				h.OldStart = l.Old
			}
			h.OldLines++
		}
		if l.Kind != LineDel {
			if h.NewLines == 0 {
				h.NewStart = l.New
			}
			h.NewLines++
		}
	}
	return h
}

// editScript returns a's and b's lines as context, deletions and additions
// along a longest common subsequence; past maxLCSCells it gives a whole
// replacement after the common prefix and suffix.
func editScript(a, b []numLine) ([]Line, []bool) {
	p := 0
	for p < len(a) && p < len(b) && a[p].Text == b[p].Text {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s].Text == b[len(b)-1-s].Text {
		s++
	}
	out := make([]Line, 0, len(a)+len(b))
	fromCtx := make([]bool, 0, len(a)+len(b))
	for k := 0; k < p; k++ {
		out = append(out, Line{Kind: LineContext, Old: a[k].N, New: b[k].N, Text: b[k].Text})
	}
	mid, midCtx := lcsMiddle(a[p:len(a)-s], b[p:len(b)-s])
	fromCtx = append(make([]bool, p), midCtx...)
	out = append(out, mid...)
	for k := s; k > 0; k-- {
		x, y := a[len(a)-k], b[len(b)-k]
		out = append(out, Line{Kind: LineContext, Old: x.N, New: y.N, Text: y.Text})
		fromCtx = append(fromCtx, false)
	}
	return out, fromCtx
}

// trimContextEdges drops the leading and trailing deletions and additions
// that come from unchanged context lines.
func trimContextEdges(lines []Line, fromCtx []bool) []Line {
	i, j := 0, len(lines)
	for i < j && lines[i].Kind != LineContext && fromCtx[i] {
		i++
	}
	for j > i && lines[j-1].Kind != LineContext && fromCtx[j-1] {
		j--
	}
	return lines[i:j]
}

// lcsMiddle diffs the differing middle parts by dynamic programming. The
// second result says, per line, whether a deletion or addition comes from
// a line its own hunk had as context.
func lcsMiddle(a, b []numLine) ([]Line, []bool) {
	var out []Line
	var fromCtx []bool
	if (len(a)+1)*(len(b)+1) > maxLCSCells {
		for _, x := range a {
			out = append(out, Line{Kind: LineDel, Old: x.N, Text: x.Text})
			fromCtx = append(fromCtx, x.Ctx)
		}
		for _, y := range b {
			out = append(out, Line{Kind: LineAdd, New: y.N, Text: y.Text})
			fromCtx = append(fromCtx, y.Ctx)
		}
		return out, fromCtx
	}
	w := len(b) + 1
	dp := make([]int32, (len(a)+1)*w) // dp[i*w+j]: LCS of a[i:], b[j:]
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i].Text == b[j].Text {
				dp[i*w+j] = dp[(i+1)*w+j+1] + 1
			} else {
				dp[i*w+j] = max(dp[(i+1)*w+j], dp[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i].Text == b[j].Text:
			out = append(out, Line{Kind: LineContext, Old: a[i].N, New: b[j].N, Text: b[j].Text})
			fromCtx = append(fromCtx, false)
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || dp[(i+1)*w+j] >= dp[i*w+j+1]):
			out = append(out, Line{Kind: LineDel, Old: a[i].N, Text: a[i].Text})
			fromCtx = append(fromCtx, a[i].Ctx)
			i++
		default:
			out = append(out, Line{Kind: LineAdd, New: b[j].N, Text: b[j].Text})
			fromCtx = append(fromCtx, b[j].Ctx)
			j++
		}
	}
	return out, fromCtx
}
