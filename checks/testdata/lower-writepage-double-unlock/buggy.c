static int stk_writepage(struct page *page, struct writeback_control *wbc)
{
	struct address_space *lower_mapping = stk_mapping(page);
	struct page *lower_page;
	int err;

	lower_page = find_or_create_page(lower_mapping, page->index, GFP_NOFS);	/* want: stacking-fs-lower-pagecache-poke */
	if (!lower_page) {
		redirty_page_for_writepage(wbc, page);
		unlock_page(page);
		return 0;
	}
	copy_highpage(lower_page, page);
	clear_page_dirty_for_io(lower_page);
	err = lower_mapping->a_ops->writepage(lower_page, wbc);	/* want: wbc-for-reclaim-usage */
	if (err)
		unlock_page(lower_page);	/* want: lower-writepage-double-unlock@error */
	put_page(lower_page);
	unlock_page(page);
	return err;	/* want: writepage-activate-not-propagated */
}
