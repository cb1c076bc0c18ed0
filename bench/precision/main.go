// Command precision summarises 'patchreview check --format json' runs over
// real kernel files as Markdown: findings per rule and severity for each
// kernel version, and every error finding with its file and line.
//
//	go run ./bench/precision 6.1=/tmp/6.1.json:41 6.12=/tmp/6.12.json:32
//
// Each argument is VERSION=JSON[:FILES], FILES being how many files were checked.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"patchreview/checks"
)

type report struct {
	Patches []struct {
		Findings []checks.Finding `json:"findings"`
	} `json:"patches"`
}

type run struct {
	version string
	files   int
	counts  map[string]map[checks.Severity]int // rule -> severity -> n
	errors  []checks.Finding
	total   map[checks.Severity]int
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: precision VERSION=FILE.json[:NFILES]...")
		os.Exit(2)
	}
	var runs []*run
	for _, arg := range os.Args[1:] {
		r, err := load(arg)
		if err != nil {
			fmt.Fprintf(os.Stderr, "precision: %v\n", err)
			os.Exit(2)
		}
		runs = append(runs, r)
	}
	write(os.Stdout, runs)
}

func load(arg string) (*run, error) {
	version, rest, ok := strings.Cut(arg, "=")
	if !ok {
		return nil, fmt.Errorf("%q: want VERSION=FILE.json[:NFILES]", arg)
	}
	path, nfiles, _ := strings.Cut(rest, ":")
	r := &run{version: version, counts: map[string]map[checks.Severity]int{}, total: map[checks.Severity]int{}}
	if nfiles != "" {
		n, err := strconv.Atoi(nfiles)
		if err != nil {
			return nil, fmt.Errorf("%q: bad file count", arg)
		}
		r.files = n
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for _, p := range rep.Patches {
		for _, f := range p.Findings {
			if r.counts[f.Rule] == nil {
				r.counts[f.Rule] = map[checks.Severity]int{}
			}
			r.counts[f.Rule][f.Severity]++
			r.total[f.Severity]++
			if f.Severity == checks.Error {
				r.errors = append(r.errors, f)
			}
		}
	}
	return r, nil
}

func cell(m map[checks.Severity]int) string {
	if len(m) == 0 {
		return "–"
	}
	return fmt.Sprintf("%d / %d / %d", m[checks.Error], m[checks.Warning], m[checks.Info])
}

func write(w io.Writer, runs []*run) {
	fmt.Fprintf(w, "Findings per rule as errors / warnings / infos, each file checked as a new-file diff.\n\n")
	fmt.Fprintf(w, "| Rule |")
	for _, r := range runs {
		fmt.Fprintf(w, " Linux %s (%d files) |", r.version, r.files)
	}
	fmt.Fprintf(w, "\n|---|")
	for range runs {
		fmt.Fprintf(w, "---|")
	}
	fmt.Fprintln(w)
	for _, rule := range checks.Rules() {
		any := false
		for _, r := range runs {
			if len(r.counts[rule.ID]) > 0 {
				any = true
			}
		}
		if !any {
			continue
		}
		fmt.Fprintf(w, "| %s `%s` |", rule.Number, rule.ID)
		for _, r := range runs {
			fmt.Fprintf(w, " %s |", cell(r.counts[rule.ID]))
		}
		fmt.Fprintln(w)
	}
	for _, n := range checks.Notes() {
		id := n.ID
		any := false
		for _, r := range runs {
			if len(r.counts[id]) > 0 {
				any = true
			}
		}
		if !any {
			continue
		}
		fmt.Fprintf(w, "| – `%s` |", id)
		for _, r := range runs {
			fmt.Fprintf(w, " %s |", cell(r.counts[id]))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "| **all rules** |")
	for _, r := range runs {
		fmt.Fprintf(w, " **%s** |", cell(r.total))
	}
	fmt.Fprintln(w)
	for _, r := range runs {
		fmt.Fprintf(w, "\nError findings on Linux %s: %d.\n", r.version, len(r.errors))
		sort.Slice(r.errors, func(i, j int) bool {
			a, b := r.errors[i], r.errors[j]
			if a.Path != b.Path {
				return a.Path < b.Path
			}
			return a.Line < b.Line
		})
		for _, f := range r.errors {
			fmt.Fprintf(w, "- `%s:%d` %s in `%s`: %s\n", f.Path, f.Line, f.Rule, f.Function, strings.Join(strings.Fields(f.Message), " "))
		}
	}
}
