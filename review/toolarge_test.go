package review

import (
	"errors"
	"strings"
	"testing"
)

// A part larger than the parser reads is an error (the mail is stored raw
// and marked), never a silently cut diff, which would be another patch.
func TestPartTooLargeIsAnError(t *testing.T) {
	old := maxBody
	maxBody = 4096
	defer func() { maxBody = old }()
	var b strings.Builder
	b.WriteString("From: Ann <ann@example.org>\nSubject: [PATCH] f: big\nMessage-ID: <big@x>\n\nBig.\n---\n" +
		"diff --git a/f.c b/f.c\nnew file mode 100644\n--- /dev/null\n+++ b/f.c\n@@ -0,0 +1,400 @@\n")
	for i := 0; i < 400; i++ {
		b.WriteString("+int x; /* a line of a patch larger than the limit */\n")
	}
	if _, err := ParseMessage([]byte(b.String())); !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrInvalid) {
		t.Errorf("a body over the limit: %v", err)
	}
	small := "From: Ann <ann@example.org>\nSubject: [PATCH] f: small\nMessage-ID: <small@x>\n\nSmall.\n---\n" +
		"diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
	if m, err := ParseMessage([]byte(small)); err != nil || m.Patch == nil || len(m.Patch.Files) != 1 {
		t.Errorf("a body under the limit: %v", err)
	}
}
