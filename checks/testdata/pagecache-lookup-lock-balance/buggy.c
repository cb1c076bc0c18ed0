static int xfoo_check_lower(struct address_space *lower_mapping, pgoff_t index)
{
	struct page *lower_page;

	lower_page = grab_cache_page(lower_mapping, index);
	if (!lower_page)
		return -ENOMEM;
	if (xfoo_lower_is_stale(lower_page)) {
		put_page(lower_page);
		return -ESTALE;	/* want: pagecache-lookup-lock-balance@error */
	}
	put_page(lower_page);
	unlock_page(lower_page);	/* want: pagecache-lookup-lock-balance@warning */
	return 0;
}
