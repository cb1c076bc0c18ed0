package diffview

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"testing"

	"patchreview/review"
)

// cFunction is a real-looking kernel function body used to build big patches.
const cFunction = `static int %[1]s_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;
	loff_t size = i_size_read(inode);
	pgoff_t index = page->index;
	int err = 0;

	/*
	 * The page straddles i_size: zero the tail, as
	 * block_write_full_page() would.
	 */
	if (index >= size >> PAGE_SHIFT) {
		unsigned int offset = size & (PAGE_SIZE - 1);

		zero_user_segment(page, offset, PAGE_SIZE);
	}
	set_page_writeback(page);
	err = %[1]s_submit(inode, page, wbc, "%[1]s: \"write\"");
	if (err) {
		redirty_page_for_writepage(wbc, page);
		goto out;
	}
	unlock_page(page);
	end_page_writeback(page);
out:
	return err;
}
`

// bigPatch builds a git diff of about n lines: files of several hunks, each
// hunk a function with a few lines changed.
func bigPatch(n int) string {
	var b strings.Builder
	lines := 0
	for f := 0; lines < n; f++ {
		fmt.Fprintf(&b, "diff --git a/fs/fs%[1]d/aops.c b/fs/fs%[1]d/aops.c\n--- a/fs/fs%[1]d/aops.c\n+++ b/fs/fs%[1]d/aops.c\n", f)
		lines += 3
		oldStart := 10
		for h := 0; h < 8 && lines < n; h++ {
			body := strings.Split(strings.TrimSuffix(fmt.Sprintf(cFunction, fmt.Sprintf("fs%d_%d", f, h)), "\n"), "\n")
			var hunk []string
			adds, dels := 0, 0
			for i, l := range body {
				switch i % 9 {
				case 4:
					hunk = append(hunk, "-"+l, "+"+l+" /* v2 */")
					adds++
					dels++
				default:
					hunk = append(hunk, " "+l)
				}
			}
			ctx := len(body) - dels
			fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@ %s\n%s\n", oldStart, ctx+dels, oldStart, ctx+adds, "struct", strings.Join(hunk, "\n"))
			lines += 1 + len(hunk)
			oldStart += len(body) + 40
		}
	}
	return b.String()
}

func benchFiles(b *testing.B) ([]*review.File, []review.Finding) {
	files, err := review.ParseDiff(bigPatch(5000))
	if err != nil {
		b.Fatal(err)
	}
	var fs []review.Finding
	for _, f := range files {
		fs = append(fs, review.Finding{Rule: "writepage-unlock-all-paths", Severity: "error", Path: f.NewName, Line: 35, Message: "m"})
	}
	return files, fs
}

// BenchmarkBuild5000 builds the view of a 5,000-line patch.
func BenchmarkBuild5000(b *testing.B) {
	files, fs := benchFiles(b)
	opts := Options{PageURL: "/patches/1", Rules: ruleLookup}
	for b.Loop() {
		Build(files, fs, nil, opts)
	}
}

// BenchmarkRender5000 builds and renders the unified page of a 5,000-line patch.
func BenchmarkRender5000(b *testing.B) {
	files, fs := benchFiles(b)
	tmpl, err := ParseTemplates(template.New("page"))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		v := Build(files, fs, nil, Options{PageURL: "/patches/1", Rules: ruleLookup})
		if err := tmpl.ExecuteTemplate(&buf, "diffview", v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

func TestBigPatchParses(t *testing.T) {
	files, err := review.ParseDiff(bigPatch(5000))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		for _, h := range f.Hunks {
			n += len(h.Lines) + 1
		}
	}
	if n < 4500 || n > 5500 {
		t.Errorf("big patch has %d diff lines, want about 5,000", n)
	}
}
