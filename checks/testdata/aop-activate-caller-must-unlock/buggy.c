static int xfoo_write_cache_pages(struct address_space *mapping, struct writeback_control *wbc,
				  writepage_t writepage, void *data)
{
	int ret = 0;
	int done = 0;
	pgoff_t index = 0;

	while (!done) {
		struct page *page = xfoo_next_dirty(mapping, &index);

		if (!page)
			break;
		lock_page(page);
		ret = (*writepage)(page, wbc, data);	/* want: aop-activate-caller-must-unlock@error */
		if (ret) {
			done = 1;
			break;
		}
	}
	return ret;	/* want: writepage-activate-not-propagated */
}
