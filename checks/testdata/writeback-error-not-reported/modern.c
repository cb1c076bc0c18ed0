/* kernel-version: 6.12 */
static void xfoo_end_io(struct folio *folio, int err)
{
	if (err)
		folio_set_error(folio);	/* want: writeback-error-not-reported@error */
	folio_end_writeback(folio);
}

static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	int err = xfoo_submit(page, wbc);

	if (err) {
		ClearPageUptodate(page);	/* want: writeback-error-not-reported@info */
		unlock_page(page);
		return err;
	}
	return 0;
}
