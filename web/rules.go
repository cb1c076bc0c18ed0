package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"patchreview/checks"
	"patchreview/web/diffview"
	"patchreview/web/httpx"
)

type ruleRow struct {
	*checks.Rule
	Fired, Dismissed int
}

type rulesPage struct{ Rules, Notes []ruleRow }

func (s *Server) handleRuleList(w http.ResponseWriter, r *http.Request) error {
	stats, err := s.store.RuleStats(r.Context())
	if err != nil {
		return err
	}
	var p rulesPage
	for _, rule := range checks.Rules() {
		st := stats[rule.ID]
		p.Rules = append(p.Rules, ruleRow{rule, st.Fired, st.Dismissed})
	}
	for _, n := range checks.Notes() {
		st := stats[n.ID]
		p.Notes = append(p.Notes, ruleRow{n, st.Fired, st.Dismissed})
	}
	return s.render(w, r, "rules", p)
}

type rulePage struct {
	Rule     *checks.Rule
	Note     bool // a note (checks.Notes), not a rule of the catalogue
	Doc      template.HTML
	Findings []ruleFinding
}

type ruleFinding struct {
	PatchID                 int64
	Subject, Path, Severity string
	Line                    int
	Anchor                  string
}

// markdown renders rule docs and comments: raw HTML escaped, images as links.
var markdown = diffview.NewMarkdown()

// handleRuleShow answers /rules/{id}: a rule, a note (checks.Notes), or a
// rule's R-number, redirected to its id.
func (s *Server) handleRuleShow(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	rule, note := checks.RuleByID(id), false
	if rule == nil {
		if byNumber := checks.RuleByNumber(id); byNumber != nil {
			http.Redirect(w, r, "/rules/"+byNumber.ID, http.StatusMovedPermanently)
			return nil
		}
		rule, note = checks.NoteByID(id), true
	}
	if rule == nil {
		return httpx.Errorf(http.StatusNotFound, "no rule %q (rules are named by id or R-number: see /rules)", id)
	}
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(rule.Doc), &buf); err != nil {
		return err
	}
	fs, err := s.store.FindingsByRule(r.Context(), rule.ID, 200)
	if err != nil {
		return err
	}
	p := rulePage{Rule: rule, Note: note, Doc: template.HTML(buf.String())}
	for _, f := range fs {
		p.Findings = append(p.Findings, ruleFinding{PatchID: f.PatchID, Subject: f.Subject, Path: f.Path, Severity: f.Severity,
			Line: f.Line, Anchor: fmt.Sprintf("finding-%d", f.ID)})
	}
	return s.render(w, r, "rule", p)
}

// maxContractRows bounds the contracts page; a filter finds the rest.
const maxContractRows = 500

type contractRow struct {
	Function, What, File, Version string
}

type contractsPage struct {
	Query, Versions string
	Rows            []contractRow
	Total           int
	Truncated       bool
}

// handleContracts shows the helper contracts mined from the kernel
// (checks.Contracts), filtered by ?q= on the function name or file, so a
// reviewer can see why the engine believes a callee unlocks.
func (s *Server) handleContracts(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	all := checks.Contracts()
	p := contractsPage{Query: q, Total: len(all)}
	versions := map[string]bool{}
	for _, c := range all {
		if !versions[c.Version] {
			versions[c.Version] = true
			if p.Versions != "" {
				p.Versions += " and "
			}
			p.Versions += c.Version
		}
		if q != "" && !strings.Contains(c.Function, q) && !strings.Contains(c.File, q) {
			continue
		}
		if len(p.Rows) == maxContractRows {
			p.Truncated = true
			continue
		}
		p.Rows = append(p.Rows, contractRow{Function: c.Function, What: c.Effect(), File: c.File, Version: c.Version})
	}
	return s.render(w, r, "contracts", p)
}
