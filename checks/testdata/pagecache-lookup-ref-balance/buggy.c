static int xfoo_copy_lower(struct address_space *lower_mapping, struct page *page, gfp_t gfp)
{
	struct page *lower_page;
	int err;

	lower_page = find_or_create_page(lower_mapping, page->index, gfp);
	if (!lower_page)
		return -ENOMEM;
	err = xfoo_fill_lower(lower_page, page);
	if (err) {
		unlock_page(lower_page);
		return err;	/* want: pagecache-lookup-ref-balance@error */
	}
	unlock_page(lower_page);
	put_page(lower_page);
	return 0;
}

static int xfoo_drop(struct address_space *mapping, pgoff_t index)
{
	struct page *page = find_get_page(mapping, index);
	int err;

	if (!page)
		return -ENOENT;
	err = xfoo_check(page);
	if (err) {
		put_page(page);
		goto out;
	}
	xfoo_use(page);
out:
	put_page(page);	/* want: pagecache-lookup-ref-balance */
	return err;
}
