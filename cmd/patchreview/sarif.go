package main

import (
	"encoding/json"
	"io"

	"patchreview/checks"
)

// SARIF 2.1.0, the subset code-scanning tools read: one run, the rule
// catalogue with help text, results with physical locations.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	ShortDescription sarifText      `json:"shortDescription"`
	Help             *sarifText     `json:"help,omitempty"`
	Default          map[string]any `json:"defaultConfiguration"`
	Properties       map[string]any `json:"properties,omitempty"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	Physical sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	Artifact struct {
		URI string `json:"uri"`
	} `json:"artifactLocation"`
	Region struct {
		StartLine int `json:"startLine"`
	} `json:"region"`
}

// sarifLevel maps our severities onto SARIF's levels.
func sarifLevel(s checks.Severity) string {
	switch s {
	case checks.Error:
		return "error"
	case checks.Warning:
		return "warning"
	default:
		return "note"
	}
}

func writeSARIF(w io.Writer, patches []checkedPatch) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "patchreview"}}, Results: []sarifResult{}}
	index := map[string]int{}
	for i, r := range checks.Rules() {
		index[r.ID] = i
		rule := sarifRule{ID: r.ID, Name: r.Number, ShortDescription: sarifText{Text: r.Title},
			Default: map[string]any{"level": sarifLevel(r.Severity)}}
		if r.Doc != "" {
			rule.Help = &sarifText{Text: r.Doc, Markdown: r.Doc}
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
	}
	for _, p := range patches {
		for _, f := range p.Findings {
			if _, ok := index[f.Rule]; !ok {
				if n := checks.NoteByID(f.Rule); n != nil {
					// A note (internal-error, tree-context, check-limit)
					// reports under an entry of its own.
					index[f.Rule] = len(run.Tool.Driver.Rules)
					run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: n.ID, Name: "note",
						ShortDescription: sarifText{Text: n.Title}, Help: &sarifText{Text: n.Doc, Markdown: n.Doc},
						Default: map[string]any{"level": sarifLevel(n.Severity)}})
				}
			}
			var loc sarifLocation
			loc.Physical.Artifact.URI = f.Path
			loc.Physical.Region.StartLine = max(f.Line, 1)
			run.Results = append(run.Results, sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
				Message: sarifText{Text: f.Message}, Locations: []sarifLocation{loc}})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}
