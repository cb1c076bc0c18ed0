/* One level of same-file helper summaries. */
static int xfoo_do_write(struct page *page)
{
	int err = xfoo_fill(page);

	unlock_page(page);
	return err;
}

static int xfoo_prepare(struct page *page)
{
	if (PageDirty(page))
		return 1;
	return 0;
}

static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	if (xfoo_prepare(page))
		return xfoo_do_write(page);
	return 0;		/* want: writepage-unlock-all-paths */
}

static const struct address_space_operations xfoo_aops = {
	.writepage	= xfoo_writepage,
};
