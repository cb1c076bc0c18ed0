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
		ret = (*writepage)(page, wbc, data);
		if (ret == AOP_WRITEPAGE_ACTIVATE) {
			unlock_page(page);
			ret = 0;
		} else if (ret) {
			done = 1;
			break;
		}
	}
	return ret;
}

static int xfoo_flush_one(struct page *page)
{
	int ret = write_one_page(page);

	if (ret)
		return ret;
	return 0;
}
