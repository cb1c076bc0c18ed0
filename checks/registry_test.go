package checks

import (
	"strings"
	"testing"
)

// catalogue is rules.md's list of rule ids by R-number: the public contract.
var catalogue = map[string]string{
	"R01": "writepage-unlock-all-paths", "R02": "writepage-redirty-must-unlock",
	"R03": "lower-writepage-double-unlock", "R04": "writepage-activate-not-propagated",
	"R05": "aop-activate-caller-must-unlock", "R06": "writepage-activate-origin-restricted",
	"R07": "writeback-start-end-pairing", "R08": "writepage-clean-page-dropped",
	"R09": "writepage-sync-mode-must-not-skip", "R10": "mapping-set-gfp-mask-at-runtime",
	"R11": "fs-masks-gfp-io-unnecessarily", "R12": "writeback-path-fs-reclaim-alloc",
	"R13": "pagecache-lookup-ref-balance", "R14": "pagecache-lookup-lock-balance",
	"R15": "filemap-folio-errptr-check", "R16": "whole-page-copy-use-helper",
	"R17": "kmap-deprecated-api", "R18": "kmap-atomic-no-sleep", "R19": "kunmap-argument-and-order",
	"R20": "page-cache-size-macros-removed", "R21": "large-folio-size-assumption",
	"R22": "sync-page-obsolete", "R23": "aops-writepage-removed", "R24": "wbc-for-reclaim-usage",
	"R25": "writeback-error-not-reported", "R26": "writeback-iter-no-early-exit",
	"R27": "stacking-fs-lower-pagecache-poke", "R28": "page-double-unlock-or-put",
	"R29": "read-folio-unlock-contract", "R30": "writeback-start-without-wait",
}

// catalogueSeverity is each rule's default severity in rules.md.
var catalogueSeverity = map[string]Severity{"R01": Error, "R02": Error, "R03": Error, "R04": Error,
	"R05": Error, "R06": Warning, "R07": Error, "R08": Warning, "R09": Warning, "R10": Error, "R11": Info, "R12": Warning, "R13": Error,
	"R14": Error, "R15": Error, "R16": Warning, "R17": Info, "R18": Error, "R19": Error, "R20": Error, "R21": Warning,
	"R22": Warning, "R23": Error, "R24": Info, "R25": Warning, "R26": Error, "R27": Info, "R28": Error, "R29": Error, "R30": Warning}

// TestRegistry checks the catalogue: ids and numbers as rules.md has them,
// unique, in R-number order, with titles, severities, a run and a doc.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for _, r := range Rules() {
		if want, ok := catalogue[r.Number]; !ok || want != r.ID {
			t.Errorf("%s %s: not the rules.md id %q", r.Number, r.ID, want)
		}
		if seen[r.ID] {
			t.Errorf("%s: duplicate id", r.ID)
		}
		seen[r.ID] = true
		if r.Number <= prev {
			t.Errorf("%s: out of R-number order after %s", r.Number, prev)
		}
		prev = r.Number
		if sev, ok := catalogueSeverity[r.Number]; !ok || sev != r.Severity {
			t.Errorf("%s: severity %q, rules.md says %q", r.ID, r.Severity, sev)
		}
		if len(r.Title) < 20 || strings.HasSuffix(r.Title, ".") {
			t.Errorf("%s: title %q", r.ID, r.Title)
		}
		if r.run == nil {
			t.Errorf("%s: no run function", r.ID)
		}
		if RuleByID(r.ID) != r {
			t.Errorf("%s: RuleByID does not find it", r.ID)
		}
		if strings.TrimSpace(r.Doc) == "" {
			t.Errorf("%s: no doc (checks/docs/%s.md)", r.ID, r.ID)
		}
	}
	if RuleByID("no-such-rule") != nil {
		t.Error("RuleByID found a rule that does not exist")
	}
}
