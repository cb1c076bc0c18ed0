/* Releases through fs helpers known to put (and unlock). */
static int xfoo_touch(struct address_space *mapping, pgoff_t index)
{
	struct page *page = find_lock_page(mapping, index);

	if (!page)
		return -ENOENT;
	if (xfoo_stale(page)) {
		f2fs_put_page(page, 1);
		return -ESTALE;
	}
	set_page_dirty(page);
	f2fs_put_page(page, 1);
	return 0;
}
