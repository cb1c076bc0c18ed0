/* kernel-version: 2.6.24 */
static int stk_writepage(struct page *page, struct writeback_control *wbc)
{
	struct page *lower_page = stk_lower(page);
	int err = 0;

	copy_highpage(lower_page, page);
	set_page_dirty(lower_page);
	if (!wbc->for_reclaim) {
		clear_page_dirty_for_io(lower_page);
		err = lower_page->mapping->a_ops->writepage(lower_page, wbc);
		if (err == AOP_WRITEPAGE_ACTIVATE) {
			unlock_page(lower_page);
			err = 0;
		}
	} else {
		unlock_page(lower_page);
	}
	unlock_page(page);
	return err;
}
