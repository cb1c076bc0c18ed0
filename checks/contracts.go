package checks

import (
	"bufio"
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Contracts mined from the kernel: the summaries of the functions of fs/
// and mm/ that other files call (exported functions, and static inline
// helpers of headers), computed by the same summarizer the checks use.
// They stand in for callees whose bodies the input does not show. The
// data is generated (see its header); regenerate it with
// scripts/mine-contracts.sh.
//
//go:embed contracts.tsv
var contractsTSV string

// A Contract is one mined summary: what Function does to its page/folio
// parameter Param (or, with Param -1, what it returns), in kernel Version,
// as found in File.
type Contract struct {
	Function string
	Param    int    // parameter index, -1 for the return value
	Unlock   string // "all", "none", "may", "some" ("" for returns)
	Put      string // "all", "none", "some", "" (unknown)
	WBStart  bool
	Escapes  bool   // stores the page (in a struct, a list) on some path
	Returns  string // "locked", "ref", "" (parameters)
	Version  string // "6.1", "6.12"
	File     string
}

// contract is the loaded form of a function's contracts.
type contract struct {
	origin string
	params map[int]paramSum
	ret    retKind
}

var (
	contractsOnce sync.Once
	contractsByFn map[string]contract
	contractsList []Contract
)

// Contracts returns every mined contract, sorted by function and parameter.
func Contracts() []Contract {
	loadContracts()
	return contractsList
}

func loadContracts() {
	contractsOnce.Do(func() {
		contractsByFn = map[string]contract{}
		sc := bufio.NewScanner(strings.NewReader(contractsTSV))
		for sc.Scan() {
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			c, ok := parseContract(line)
			if !ok {
				continue
			}
			contractsList = append(contractsList, c)
		}
		contractsByFn = indexContracts(contractsList)
	})
}

// indexContracts loads contracts by function; the newest version wins
// where versions disagree (the list keeps both).
func indexContracts(list []Contract) map[string]contract {
	by := map[string]contract{}
	vers := map[string]string{}
	for _, c := range list {
		k := by[c.Function]
		if k.params == nil {
			k.params = map[int]paramSum{}
		}
		if v, ok := vers[c.Function]; ok && versionLess(c.Version, v) {
			continue
		} else if ok && versionLess(v, c.Version) {
			k = contract{params: map[int]paramSum{}}
		}
		vers[c.Function] = c.Version
		origin := c.File + " (Linux " + c.Version + ")"
		k.origin = origin
		if c.Param < 0 {
			switch c.Returns {
			case "locked":
				k.ret = retLocked
			case "ref":
				k.ret = retRef
			}
		} else {
			k.params[c.Param] = paramSum{unlock: effectOf(c.Unlock), put: effectOf(c.Put), wbStart: c.WBStart, escapes: c.Escapes,
				source: "mined contract from " + origin}
		}
		by[c.Function] = k
	}
	return by
}

// versionLess compares "6.1" < "6.12".
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// parseContract reads one TSV line:
// function, param, unlock, put, wbstart, returns, version, file.
func parseContract(line string) (Contract, bool) {
	f := strings.Split(line, "\t")
	if len(f) != 8 {
		return Contract{}, false
	}
	p, err := strconv.Atoi(f[1])
	if err != nil {
		return Contract{}, false
	}
	return Contract{Function: f[0], Param: p, Unlock: dash(f[2]), Put: dash(f[3]), WBStart: strings.Contains(f[4], "wb"),
		Escapes: strings.Contains(f[4], "store"),
		Returns: dash(f[5]), Version: f[6], File: f[7]}, true
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

func undash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Line formats a contract as its TSV line.
func (c Contract) Line() string {
	var flags []string
	if c.WBStart {
		flags = append(flags, "wb")
	}
	if c.Escapes {
		flags = append(flags, "store")
	}
	wb := strings.Join(flags, ",")
	if wb == "" {
		wb = "-"
	}
	return strings.Join([]string{c.Function, strconv.Itoa(c.Param), undash(c.Unlock), undash(c.Put), wb,
		undash(c.Returns), c.Version, c.File}, "\t")
}

// String says what the contract means, for people.
func (c Contract) String() string {
	return fmt.Sprintf("%s()%s %s (%s, Linux %s)", c.Function, map[bool]string{true: "", false: ","}[c.Param < 0], c.Effect(), c.File, c.Version)
}

// Effect says what the function does to the page, without naming the
// function or the source: "returns a page locked and with a reference",
// "page argument 0: unlocks it on every path".
func (c Contract) Effect() string {
	if c.Param < 0 {
		return "returns a page " + map[string]string{"locked": "locked and with a reference", "ref": "with a reference"}[c.Returns]
	}
	var what []string
	switch c.Unlock {
	case "all":
		what = append(what, "unlocks it on every path")
	case "none":
		what = append(what, "returns with it still locked")
	case "may":
		what = append(what, "hands it on (may unlock it)")
	case "some":
		what = append(what, "unlocks it on some paths only")
	}
	switch c.Put {
	case "all":
		what = append(what, "drops its reference on every path")
	case "some":
		what = append(what, "drops its reference on some paths")
	}
	if c.WBStart {
		what = append(what, "may start writeback")
	}
	if c.Escapes {
		what = append(what, "may store it for later release")
	}
	return fmt.Sprintf("page argument %d: %s", c.Param, strings.Join(what, ", "))
}

func effectOf(s string) effect {
	switch s {
	case "all":
		return effAll
	case "none":
		return effNone
	case "may":
		return effMay
	case "some":
		return effSome
	}
	return effUnknown
}

func effectName(e effect) string {
	return [...]string{"", "all", "none", "may", "some"}[e]
}

// contractFor returns the mined contract of a function: from the unit's
// own set while mining, else from the embedded data.
func (ui *unitInfo) contractFor(name string) (contract, bool) {
	if ui.contracts != nil {
		c, ok := ui.contracts[name]
		return c, ok
	}
	loadContracts()
	c, ok := contractsByFn[name]
	return c, ok
}

// contractSummary is the mined effect of a function on its page parameter arg.
func (ui *unitInfo) contractSummary(name string, arg int) (paramSum, bool) {
	c, ok := ui.contractFor(name)
	if !ok {
		return paramSum{}, false
	}
	ps, ok := c.params[arg]
	return ps, ok && ps.unlock != effUnknown
}

// contractRet is the mined return kind of a function.
func (ui *unitInfo) contractRet(name string) retKind {
	c, _ := ui.contractFor(name)
	return c.ret
}

// MineContracts summarises the functions of one C source file for the
// contracts data: every function visible outside the file (not static, or
// defined in a header) with a page/folio parameter or a page it returns.
// version names the kernel the file comes from; known are the contracts of
// other files to use for their functions (a previous round of mining), in
// place of the embedded data.
func MineContracts(path, src, version string, known []Contract) []Contract {
	// The file as CheckFile sees it: every line code, as it is.
	ui := newUnitInfoWith(fileUnit(path, src), Options{KernelVersion: version}, indexContracts(known))
	header := strings.HasSuffix(path, ".h")
	var out []Contract
	seen := map[string]bool{}
	for _, fi := range ui.funcs {
		f := fi.f
		if f.name == "" || seen[f.name] || f.static && !header || !f.complete() {
			continue
		}
		seen[f.name] = true
		for i, p := range f.params {
			if !pageType(p.typ) {
				continue
			}
			ps, ok := ui.summary(f.name, i)
			if !ok || !strings.HasPrefix(ps.source, "the body") {
				continue
			}
			out = append(out, Contract{Function: f.name, Param: i, Unlock: effectName(ps.unlock), Put: effectName(ps.put),
				WBStart: ps.wbStart, Escapes: ps.escapes, Version: version, File: path})
		}
		if r := ui.computeRetOnly(f.name); r != retNone {
			out = append(out, Contract{Function: f.name, Param: -1, Returns: map[retKind]string{retLocked: "locked", retRef: "ref"}[r],
				Version: version, File: path})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Function != out[j].Function {
			return out[i].Function < out[j].Function
		}
		return out[i].Param < out[j].Param
	})
	return out
}

// computeRetOnly is retSummary without the mined fallback.
func (ui *unitInfo) computeRetOnly(name string) retKind {
	if r, ok := ui.rets[name]; ok && ui.retOwn[name] {
		return r
	}
	if ui.busy[name] {
		return retNone
	}
	ui.busy[name] = true
	defer delete(ui.busy, name)
	return ui.computeRet(name)
}
