/* ->write_begin returns the locked page through *pagep: the contract. */
static int xfoo_write_begin(struct file *file, struct address_space *mapping, loff_t pos,
			    unsigned len, struct page **pagep, void **fsdata)
{
	struct page *page;
	int ret;

	page = grab_cache_page_write_begin(mapping, pos >> PAGE_SHIFT);
	if (!page)
		return -ENOMEM;
	ret = xfoo_prepare(page, pos, len);
	if (ret) {
		unlock_page(page);
		put_page(page);
		return ret;
	}
	*pagep = page;
	return 0;
}
