static int xfoo_copy_lower(struct address_space *lower_mapping, struct page *page, gfp_t gfp)
{
	struct page *lower_page;
	int err;

	lower_page = find_or_create_page(lower_mapping, page->index, gfp);
	if (!lower_page)
		return -ENOMEM;
	err = xfoo_fill_lower(lower_page, page);
	unlock_page(lower_page);
	put_page(lower_page);
	return err;
}

/* Ownership handed out: write_begin style and a caller-owned array. */
static int xfoo_write_begin(struct file *file, struct address_space *mapping, loff_t pos,
			    unsigned len, struct page **pagep, void **fsdata)
{
	struct page *page = grab_cache_page_write_begin(mapping, pos >> PAGE_SHIFT);

	if (!page)
		return -ENOMEM;
	*pagep = page;
	return 0;
}

static int xfoo_collect(struct address_space *mapping, struct page **pages, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct page *page = find_get_page(mapping, i);

		if (!page)
			return -ENOENT;
		pages[i] = page;
	}
	return 0;
}

static void xfoo_get_put(struct address_space *mapping)
{
	struct page *page = find_get_page(mapping, 0);

	if (!page)
		return;
	get_page(page);
	put_page(page);
	put_page(page);
}
