/* Helpers summarised from their bodies, at any depth. */
static void xfoo_release(struct page *page)
{
	ClearPageChecked(page);
	unlock_page(page);
}

static void xfoo_finish_page(struct page *page)
{
	xfoo_release(page);
	put_page(page);
}

static int xfoo_fill(struct address_space *mapping, pgoff_t index)
{
	struct page *page = find_lock_page(mapping, index);

	if (!page)
		return -ENOENT;
	if (!PageUptodate(page)) {
		xfoo_release(page);
		unlock_page(page);	/* want: page-double-unlock-or-put@error */
		put_page(page);
		return -EIO;
	}
	xfoo_finish_page(page);
	put_page(page);	/* want: page-double-unlock-or-put@error */
	return 0;
}

static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	if (xfoo_busy(page)) {
		redirty_page_for_writepage(wbc, page);
		xfoo_release(page);
		return 0;	/* want: writepage-sync-mode-must-not-skip */
	}
	xfoo_write_it(page);
	xfoo_release(page);
	unlock_page(page);	/* want: page-double-unlock-or-put@error */
	return 0;
}
