// Command minecontracts mines page/folio contracts from kernel source
// trees with the checks' own summarizer and writes checks/contracts.tsv.
//
//	go run ./checks/minecontracts -out checks/contracts.tsv 6.1=DIR[:LABEL] 6.12=DIR[:LABEL]
//
// Each DIR is a kernel tree (or its fs/ and mm/ at least). Every .c and .h
// file under fs/ and mm/ is summarised twice: the second round knows the
// first round's contracts of the other files, so wrappers of wrappers in
// other files are summarised too. scripts/mine-contracts.sh runs it on
// Debian's linux-source packages.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"patchreview/checks"
)

func main() {
	out := flag.String("out", "checks/contracts.tsv", "output file")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: minecontracts [-out FILE] VERSION=DIR[:LABEL]...")
		os.Exit(2)
	}
	var all []checks.Contract
	var sources []string
	for _, arg := range flag.Args() {
		version, rest, ok := strings.Cut(arg, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "minecontracts: %q: want VERSION=DIR[:LABEL]\n", arg)
			os.Exit(2)
		}
		dir, label, _ := strings.Cut(rest, ":")
		if label == "" {
			label = "Linux " + version
		}
		cs, n, err := mine(dir, version)
		if err != nil {
			fmt.Fprintf(os.Stderr, "minecontracts: %v\n", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "minecontracts: %s: %d files, %d contracts\n", label, n, len(cs))
		sources = append(sources, fmt.Sprintf("%s (%d files of fs/ and mm/)", label, n))
		all = append(all, cs...)
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.Function != b.Function {
			return a.Function < b.Function
		}
		if a.Param != b.Param {
			return a.Param < b.Param
		}
		return a.Version < b.Version
	})
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintf(os.Stderr, "minecontracts: %v\n", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "# Page/folio contracts mined from the kernel. GENERATED: do not edit.\n")
	fmt.Fprintf(w, "# Generator: checks/minecontracts (the checks' own summarizer), run by scripts/mine-contracts.sh\n")
	fmt.Fprintf(w, "# Command: go run ./checks/minecontracts -out checks/contracts.tsv %s\n", strings.Join(flag.Args(), " "))
	for _, s := range sources {
		fmt.Fprintf(w, "# Source: %s\n", s)
	}
	fmt.Fprintf(w, "# Licence of the source: GPL-2.0 (these are facts about it, no code).\n")
	fmt.Fprintf(w, "# Columns: function, param (-1: return value), unlock (all/none/may/some), put (all/none/some), flags (wb: may start writeback; store: keeps the page), returns (locked/ref), version, file\n")
	for _, c := range all {
		fmt.Fprintln(w, c.Line())
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "minecontracts: %v\n", err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "minecontracts: %v\n", err)
		os.Exit(1)
	}
}

// mine runs two rounds over the fs/ and mm/ files of a tree.
func mine(dir, version string) ([]checks.Contract, int, error) {
	type file struct{ path, src string }
	var files []file
	for _, top := range []string{"fs", "mm"} {
		err := filepath.WalkDir(filepath.Join(dir, top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !(strings.HasSuffix(p, ".c") || strings.HasSuffix(p, ".h")) {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			files = append(files, file{filepath.ToSlash(rel), string(b)})
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
	}
	var known []checks.Contract
	for round := 0; round < 2; round++ {
		var next []checks.Contract
		for _, f := range files {
			next = append(next, checks.MineContracts(f.path, f.src, version, known)...)
		}
		known = next
	}
	return known, len(files), nil
}
