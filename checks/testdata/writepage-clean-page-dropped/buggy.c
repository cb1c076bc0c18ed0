static int stk_writepage(struct page *page, struct writeback_control *wbc)
{
	struct address_space *lower_mapping = stk_lower_mapping(page);
	struct page *lower_page;

	lower_page = find_or_create_page(lower_mapping, page->index, GFP_NOFS);	/* want: stacking-fs-lower-pagecache-poke */
	if (!lower_page) {
		unlock_page(page);
		return 0;	/* want: writepage-clean-page-dropped@warning */
	}
	copy_highpage(lower_page, page);
	set_page_dirty(lower_page);
	unlock_page(lower_page);
	put_page(lower_page);
	unlock_page(page);
	return 0;	/* want: writepage-clean-page-dropped@info */
}
