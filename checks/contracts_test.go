package checks

import (
	"strings"
	"testing"
)

// TestContractsData: the checked-in contracts parse, say how they were
// made, and cover both kernels.
func TestContractsData(t *testing.T) {
	for _, h := range []string{"GENERATED", "Generator: checks/minecontracts", "Command: ", "Source: "} {
		if !strings.Contains(contractsTSV, h) {
			t.Errorf("contracts.tsv header lacks %q", h)
		}
	}
	cs := Contracts()
	if len(cs) < 500 {
		t.Fatalf("only %d contracts", len(cs))
	}
	lines := 0
	for _, l := range strings.Split(contractsTSV, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			lines++
		}
	}
	if lines != len(cs) {
		t.Errorf("%d data lines, %d parsed", lines, len(cs))
	}
	vers := map[string]bool{}
	for _, c := range cs {
		vers[c.Version] = true
		if c.Line() == "" || c.String() == "" {
			t.Errorf("%+v does not format", c)
		}
	}
	if !vers["6.1"] || !vers["6.12"] {
		t.Errorf("versions %v, want 6.1 and 6.12", vers)
	}
}

// TestMineContracts: the summarizer finds a lookup wrapper, an unlocking
// helper and one that keeps the page locked; static functions of a .c
// file stay private.
func TestMineContracts(t *testing.T) {
	src := `struct page *xfoo_get_page(struct address_space *m, pgoff_t i)
{
	struct page *page = find_lock_page(m, i);

	if (!page)
		return ERR_PTR(-ENOENT);
	return page;
}

void xfoo_put_page(struct page *page)
{
	unlock_page(page);
	put_page(page);
}

int xfoo_fill(struct inode *inode, struct page *page)
{
	SetPageUptodate(page);
	return 0;
}

static void xfoo_private(struct page *page)
{
	unlock_page(page);
}
`
	got := map[string]string{}
	for _, c := range MineContracts("fs/xfoo/util.c", src, "6.12", nil) {
		got[c.Function+"/"+string(rune('0'+c.Param+1))] = c.Unlock + "," + c.Put + "," + c.Returns
	}
	want := map[string]string{"xfoo_get_page/0": ",,locked", "xfoo_put_page/1": "all,all,", "xfoo_fill/2": "none,none,"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if _, ok := got["xfoo_private/1"]; ok {
		t.Error("a static function of a .c file was mined")
	}
}

// TestContractUsed: a callee known only from the mined contracts decides
// the finding, and the finding says where its belief comes from.
func TestContractUsed(t *testing.T) {
	if _, ok := (&unitInfo{}).contractFor("attr_data_write_resident"); !ok {
		t.Fatal("attr_data_write_resident is not in the mined contracts")
	}
	code := `static int xfoo_resident_writepage(struct folio *folio, struct writeback_control *wbc, void *data)
{
	struct ntfs_inode *ni = data;
	int ret;

	if (xfoo_forced_shutdown(ni))
		return -EIO;
	ret = attr_data_write_resident(ni, folio);
	if (ret)
		return ret;
	folio_unlock(folio);
	return 0;
}
`
	var hit *Finding
	fs := CheckCode("fs/ntfs3/inode.c", code, Options{KernelVersion: "6.12"})
	for i := range fs {
		if fs[i].Rule == "writepage-unlock-all-paths" && fs[i].Line == 10 {
			hit = &fs[i]
		}
	}
	if hit == nil {
		t.Fatalf("the locked return after attr_data_write_resident() is not found: %v", fs)
	}
	if !strings.Contains(hit.Message, "attr_data_write_resident() returns with the page still locked: mined contract from fs/ntfs3/attrib.c") {
		t.Errorf("the finding does not explain itself: %s", hit.Message)
	}
}

// TestContractLookupWrapper: a lookup wrapper of another file, known from
// its mined contract, is balanced like a lookup, and the finding says why.
func TestContractLookupWrapper(t *testing.T) {
	code := `static int xfoo_fix(struct f2fs_sb_info *sbi, nid_t nid)
{
	struct page *page = f2fs_get_node_page(sbi, nid);

	if (IS_ERR(page))
		return PTR_ERR(page);
	if (xfoo_bad(page))
		return -EIO;
	f2fs_put_page(page, 1);
	return 0;
}
`
	fs := CheckCode("fs/f2fs/x.c", code, Options{KernelVersion: "6.12"})
	var hit *Finding
	for i := range fs {
		if fs[i].Rule == "pagecache-lookup-lock-balance" && fs[i].Line == 8 {
			hit = &fs[i]
		}
	}
	if hit == nil {
		t.Fatalf("the -EIO return with the node page locked is not found: %v", fs)
	}
	for _, want := range []string{"f2fs_get_node_page() returns the page locked: mined contract from fs/f2fs/node.c",
		"this assumes xfoo_bad()"} {
		if !strings.Contains(hit.Message, want) {
			t.Errorf("message lacks %q: %s", want, hit.Message)
		}
	}
	for _, f := range fs {
		if f.Line == 10 && f.Severity == Error {
			t.Errorf("error on the balanced path: %+v", f)
		}
	}
}

// TestMineContractsReadsTheWholeFile: mining reads a source file as the
// checks of a file do (fileUnit), every line code: lines that a mail's
// pasted code would lose (three "> " lines taken for a quoted reply, prose,
// CRLF endings) change nothing.
func TestMineContractsReadsTheWholeFile(t *testing.T) {
	src := `/*
> int quoted_a;
> int quoted_b;
> int quoted_c;
 */
void xfoo_put_page(struct page *page)
{
	unlock_page(page);
	put_page(page);
}
`
	for _, s := range []string{src, strings.ReplaceAll(src, "\n", "\r\n")} {
		got := MineContracts("fs/xfoo/util.c", s, "6.12", nil)
		if len(got) != 1 || got[0].Function != "xfoo_put_page" || got[0].Unlock != "all" || got[0].Put != "all" {
			t.Errorf("MineContracts(%q) = %+v, want xfoo_put_page unlocking and putting its page", s, got)
		}
	}
}
