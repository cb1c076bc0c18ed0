static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	int err = xfoo_submit(page, wbc);

	if (err) {
		ClearPageUptodate(page);	/* want: writeback-error-not-reported@info */
		unlock_page(page);
		return 0;	/* want: writeback-error-not-reported@warning */
	}
	return 0;
}

static int xbar_writepage(struct page *page, struct writeback_control *wbc)
{
	int err = xbar_submit(page, wbc);

	if (err) {
		mapping_set_error(page->mapping, err);
		unlock_page(page);
		return err;
	}
	return 0;
}
