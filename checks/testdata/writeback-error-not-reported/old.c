/* kernel-version: 4.4 */
static void xfoo_end_io(struct page *page, int err)
{
	if (err)
		SetPageError(page);	/* want: writeback-error-not-reported@info */
	end_page_writeback(page);
}
