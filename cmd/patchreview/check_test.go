package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const codeMail = "../../review/testdata/real-mail/linux-mm-2007-aop-writepage-activate/2007-10-28_ezk_unionfs_writepage_v_buggy.eml"

func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

func TestCheckFormats(t *testing.T) {
	code, out, _ := runCmd(t, "", "check", codeMail)
	if code != 1 || !strings.Contains(out, ": ERROR: writepage-unlock-all-paths: ") {
		t.Fatalf("text: exit %d, output:\n%s", code, out)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, codeMail+":") {
			t.Errorf("text line not path:line: %q", l)
		}
	}

	code, out, _ = runCmd(t, "", "check", "--format", "json", codeMail)
	var doc struct {
		Patches []struct {
			Subject   string
			Author    string
			MessageID string `json:"message_id"`
			Findings  []map[string]any
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 1 || len(doc.Patches) != 1 {
		t.Fatalf("json: exit %d err %v: %s", code, err, out)
	}
	f := doc.Patches[0].Findings[0]
	for _, k := range []string{"rule", "severity", "path", "line", "function", "code", "message"} {
		if _, ok := f[k]; !ok {
			t.Errorf("json finding lacks %q: %v", k, f)
		}
	}

	code, out, _ = runCmd(t, "", "check", "--format", "sarif", codeMail)
	var sarif struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Results []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						Region struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 {
		t.Fatalf("sarif: %v %s", err, out[:min(len(out), 300)])
	}
	r := sarif.Runs[0]
	if len(r.Tool.Driver.Rules) < 17 || len(r.Results) == 0 || r.Results[0].Locations[0].PhysicalLocation.Region.StartLine < 1 {
		t.Errorf("sarif run: %d rules, %d results", len(r.Tool.Driver.Rules), len(r.Results))
	}
}

func TestCheckInputs(t *testing.T) {
	cleanDiff := "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,3 @@\n int a;\n+int b;\n int c;\n"
	mbox, _ := os.ReadFile("../../storage/testdata/shadowfs-v1-v2.mbox")
	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		contains string
	}{
		{"clean bare diff on stdin", cleanDiff, []string{"check", "--format", "json"}, 0, `"findings": []`},
		{"mbox on stdin", string(mbox), []string{"check"}, 1, "lower-writepage-double-unlock"},
		{"garbage", "garbage\n", []string{"check"}, 2, ""},
		{"missing file", "", []string{"check", "/nonexistent/x.patch"}, 2, ""},
		{"bad format", "", []string{"check", "--format", "xml"}, 2, ""},
		{"bad flag", "", []string{"check", "--frobnicate"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.contains) {
				t.Errorf("exit %d (want %d); stdout %q; stderr %q", code, tt.code, out, errs)
			}
			if code == 2 && errs == "" {
				t.Errorf("exit 2 without a message on stderr")
			}
		})
	}
}
