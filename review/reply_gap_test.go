package review

import (
	"strings"
	"testing"
	"time"
)

// gapMail is a patch whose second hunk starts two lines after the first
// ends, and a second file: a quote of the context before a remark crosses
// the gap between the hunks.
const gapMail = `From: Mel Gorman <mgorman@example.org>
To: linux-mm@example.org
Subject: [PATCH] mm: two hunks
Date: Mon, 12 Jan 2026 09:00:00 +0000
Message-ID: <gap-1@example.org>

Two hunks close together.

Signed-off-by: Mel Gorman <mgorman@example.org>
---
 mm/alloc.c | 4 ++--
 1 file changed, 2 insertions(+), 2 deletions(-)

diff --git a/mm/alloc.c b/mm/alloc.c
--- a/mm/alloc.c
+++ b/mm/alloc.c
@@ -574,3 +574,3 @@ static int one(void)
 	a = 1;
-	b = 2;
+	b = 3;
 	c = 4;
@@ -579,3 +579,3 @@ static int two(void)
 	d = 5;
-	e = 6;
+	e = 7;
 	f = 8;
--
2.43.0
`

func TestReplyQuoteMarksHunkGap(t *testing.T) {
	m, err := ParseMessage([]byte(strings.ReplaceAll(gapMail, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	_, body, err := formatReply(ReplyInput{Original: m, Reviewer: jan,
		Date:      time.Date(2026, 1, 14, 10, 0, 0, 0, time.UTC),
		MessageID: "gap-review@example.org",
		Comments:  []Comment{{Path: "mm/alloc.c", Line: 580, Side: SideOld, Body: "Why drop e = 6?"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "> diff --git a/mm/alloc.c b/mm/alloc.c\n" +
		"> [...]\n" +
		"> +\tb = 3;\n" +
		">  \tc = 4;\n" +
		"> [...]\n" +
		">  \td = 5;\n" +
		"> -\te = 6;\n\nWhy drop e = 6?\n"
	if !strings.Contains(body, want) {
		t.Errorf("the quote does not mark the hunk gap with [...]:\n%s\nwant it to contain:\n%s", body, want)
	}
}

// A finding on a new-side line the diff does not show is not quoted under
// a removed line whose old-side number is the same, and a "line N" in its
// message is not replaced by that removed line's code.
func TestReplyFindingOnNewSideNumber(t *testing.T) {
	mail := strings.Replace(gapMail, `@@ -574,3 +574,3 @@ static int one(void)
 	a = 1;
-	b = 2;
+	b = 3;
 	c = 4;`, `@@ -574,4 +574,2 @@ static int one(void)
 	a = 1;
-	b = 2;
-	b2 = 2;
 	c = 4;`, 1)
	m, err := ParseMessage([]byte(mail))
	if err != nil {
		t.Fatal(err)
	}
	// New side: a = 1 is 574, c = 4 is 575 (576 is not in the diff); old
	// side: b2 = 2 is 576.
	_, body, err := formatReply(ReplyInput{Original: m, Reviewer: jan,
		Date: time.Date(2026, 1, 14, 10, 0, 0, 0, time.UTC), MessageID: "nf@example.org",
		Findings: []Finding{{Rule: "kmap-deprecated-api", Severity: "info", Path: "mm/alloc.c", Line: 576,
			Message: "the value set at line 576 is never read"}}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "b2 = 2") {
		t.Errorf("a new-side finding is quoted or named by a removed line:\n%s", body)
	}
	if !strings.Contains(body, "line 576") {
		t.Errorf("the finding's text is lost:\n%s", body)
	}
}
