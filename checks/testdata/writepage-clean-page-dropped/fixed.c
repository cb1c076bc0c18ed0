static int stk_writepage(struct page *page, struct writeback_control *wbc)
{
	struct address_space *lower_mapping = stk_lower_mapping(page);
	struct page *lower_page;

	lower_page = find_or_create_page(lower_mapping, page->index, GFP_NOFS);	/* want: stacking-fs-lower-pagecache-poke */
	if (!lower_page) {
		redirty_page_for_writepage(wbc, page);
		unlock_page(page);
		return 0;
	}
	set_page_writeback(page);
	copy_highpage(lower_page, page);
	set_page_dirty(lower_page);
	unlock_page(lower_page);
	put_page(lower_page);
	unlock_page(page);
	end_page_writeback(page);
	return 0;
}

/* Beyond EOF: dropping the page is right. */
static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;
	pgoff_t end_index = i_size_read(inode) >> PAGE_SHIFT;

	if (page->index >= end_index + 1) {
		unlock_page(page);
		return 0;
	}
	return block_write_full_page(page, xfoo_get_block, wbc);
}
