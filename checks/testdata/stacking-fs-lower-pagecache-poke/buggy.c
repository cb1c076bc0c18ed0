static int stk_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *lower_inode = stk_lower_inode(page->mapping->host);
	struct address_space *mapping = lower_inode->i_mapping;
	struct page *lower_page;

	lower_page = find_or_create_page(mapping, page->index, GFP_NOFS);	/* want: stacking-fs-lower-pagecache-poke@info */
	if (!lower_page) {
		redirty_page_for_writepage(wbc, page);
		unlock_page(page);
		return 0;
	}
	copy_highpage(lower_page, page);
	set_page_dirty(lower_page);
	unlock_page(lower_page);
	put_page(lower_page);
	unlock_page(page);
	return 0;	/* want: writepage-clean-page-dropped@info */
}
