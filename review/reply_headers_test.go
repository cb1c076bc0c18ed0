package review

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// replyFixtures is every mail of the real-mail corpus and of storage's
// shadowfs fixture: their To and Cc lists are long, some names are not
// ASCII, some subjects are replies already.
func replyFixtures(t *testing.T) (names []string, ms []*Message) {
	t.Helper()
	files, err := filepath.Glob("testdata/real-mail/*.mbox")
	if err != nil {
		t.Fatal(err)
	}
	eml, err := filepath.Glob("testdata/real-mail/*/*.eml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(append(files, eml...), "../../storage/testdata/shadowfs-v1-v2.mbox")
	for _, f := range files {
		for i, m := range splitAll(t, strings.TrimPrefix(f, "testdata/")) {
			names = append(names, fmt.Sprintf("%s#%d", filepath.Base(f), i+1))
			ms = append(ms, m)
		}
	}
	return names, ms
}

func fixtureReplyInput(m *Message, i int) ReplyInput {
	return ReplyInput{Original: m, Reviewer: jan,
		Date:      time.Date(2026, 1, 14, 10, 0, i, 0, time.UTC),
		MessageID: fmt.Sprintf("fixture-%d@example.org", i),
		Comments:  []Comment{{Body: "Thanks, one general remark."}},
		Verdicts:  []Verdict{{Kind: "Reviewed-by", Author: jan}}}
}

// TestFormatReplyFixturesEml pins the .eml of a reply to every fixture
// mail, byte for byte (the golden file was written before FormatReply
// returned its headers, and must not change with it).
func TestFormatReplyFixturesEml(t *testing.T) {
	names, ms := replyFixtures(t)
	var all strings.Builder
	for i, m := range ms {
		eml, _, err := FormatReply(fixtureReplyInput(m, i))
		if err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		fmt.Fprintf(&all, "=== %s\n%s", names[i], eml)
	}
	golden(t, "fixtures.eml", all.String())
}
