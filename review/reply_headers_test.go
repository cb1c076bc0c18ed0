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
		eml, _, err := formatReply(fixtureReplyInput(m, i))
		if err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		fmt.Fprintf(&all, "=== %s\n%s", names[i], eml)
	}
	golden(t, "fixtures.eml", all.String())
}

// formatReply is FormatReply's mail and body, as most tests look at them.
func formatReply(in ReplyInput) (eml []byte, body string, err error) {
	rep, err := FormatReply(in)
	return rep.Eml, rep.Body, err
}

// TestReplyMailFieldsAreItsHeader: the fields FormatReply returns, which
// the reply page shows and the mailer sends to, are what the .eml's
// header says, parsed back, for every fixture mail.
func TestReplyMailFieldsAreItsHeader(t *testing.T) {
	names, ms := replyFixtures(t)
	for i, m := range ms {
		rep, err := FormatReply(fixtureReplyInput(m, i))
		if err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		p, err := ParseMessage(rep.Eml)
		if err != nil {
			t.Fatalf("%s: the reply does not parse: %v", names[i], err)
		}
		got := fmt.Sprintf("From %v\nTo %v\nCc %v\nSubject %q\nMessage-ID %q\nIn-Reply-To %q\nReferences %q\n",
			rep.From, rep.To, rep.Cc, rep.Subject, rep.MessageID, rep.InReplyTo, rep.References)
		want := fmt.Sprintf("From %v\nTo %v\nCc %v\nSubject %q\nMessage-ID %q\nIn-Reply-To %q\nReferences %q\n",
			p.From, p.To, p.Cc, p.Subject.Raw, p.MessageID, p.InReplyTo, p.References)
		if got != want {
			t.Errorf("%s: the fields differ from the header:\n--- fields\n%s--- header\n%s", names[i], got, want)
		}
		if rep.Body == "" || !strings.HasSuffix(string(rep.Eml), rep.Body) {
			t.Errorf("%s: the .eml does not end with the body", names[i])
		}
	}
}
