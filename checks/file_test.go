package checks

import "testing"

// TestCheckFileIsASourceFile: CheckFile numbers lines as the file does and
// lets path rules read the path, unlike pasted code, whose path names a
// mail (R11 judges pasted code by the code: bio code there is exempt).
func TestCheckFileIsASourceFile(t *testing.T) {
	src := "/* SPDX-License-Identifier: GPL-2.0 */\n" +
		"static int xfoo_submit(struct buffer_head *bh)\n" +
		"{\n" +
		"\tstruct bio *bio = bio_alloc(bh->b_bdev, 1, 0, GFP_NOIO);\n" +
		"\tvoid *buf = kmalloc(64, GFP_NOIO);\n" +
		"\n" +
		"\tkfree(buf);\n" +
		"\treturn submit_bio_wait(bio);\n" +
		"}\n"
	got := CheckFile("fs/xfoo/submit.c", src, Options{KernelVersion: "6.12"})
	if len(got) != 1 || got[0].Rule != ruleR11.ID || got[0].Line != 5 || got[0].Path != "fs/xfoo/submit.c" {
		t.Errorf("file: want one R11 at fs/xfoo/submit.c:5, got %+v", got)
	}
	if got := CheckFile("drivers/block/xfoo.c", src, Options{KernelVersion: "6.12"}); len(got) != 0 {
		t.Errorf("block driver file: want nothing, got %+v", got)
	}
	if got := CheckCode("mail#1", src, Options{KernelVersion: "6.12"}); len(got) != 0 {
		t.Errorf("pasted block code: want nothing, got %+v", got)
	}
}
