package checks

import (
	"fmt"
	"strings"
	"testing"
)

// benchPatch is a typical mailing-list patch: two hunks in one function.
var benchPatch = func() string {
	var b strings.Builder
	b.WriteString("--- a/fs/stk/mmap.c\n+++ b/fs/stk/mmap.c\n@@ -40,30 +40,34 @@ static int stk_writepage(struct page *page, struct writeback_control *wbc)\n")
	b.WriteString(" {\n \tstruct page *lower_page;\n \tint err;\n \n")
	b.WriteString("+\tlower_page = find_or_create_page(stk_lower_mapping(page), page->index, GFP_NOFS);\n")
	b.WriteString("+\tif (!lower_page) {\n+\t\tredirty_page_for_writepage(wbc, page);\n+\t\tgoto out;\n+\t}\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, " \tstk_step%d(page, lower_page);\n", i)
	}
	b.WriteString(" \terr = lower_page->mapping->a_ops->writepage(lower_page, wbc);\n \tif (err)\n \t\tunlock_page(lower_page);\n")
	b.WriteString(" \tput_page(lower_page);\n \tunlock_page(page);\n out:\n \treturn err;\n }\n")
	return b.String()
}()

// BenchmarkCheckDiff measures one typical patch end to end.
func BenchmarkCheckDiff(b *testing.B) {
	for b.Loop() {
		if len(CheckDiff(benchPatch, Options{})) == 0 {
			b.Fatal("no findings")
		}
	}
}

// BenchmarkCheckCodeLarge measures a large pasted body (the reference
// code repeated), to watch for super-linear behaviour.
func BenchmarkCheckCodeLarge(b *testing.B) {
	body := strings.Repeat(benchBody, 50)
	for b.Loop() {
		CheckCode("fs/x.c", body, Options{})
	}
}

const benchBody = `static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	int err = xfoo_encrypt_and_store(page);

	if (err) {
		ClearPageUptodate(page);
		goto out;
	}
	switch (err) {
	case 1:
		SetPageUptodate(page);
	default:
		break;
	}
	unlock_page(page);
out:
	return err;
}
`
