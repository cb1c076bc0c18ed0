/* Converted to 0; and a tail call of a helper that never returns ACTIVATE. */
static int stk_writepage(struct page *page, struct writeback_control *wbc)
{
	struct page *lower_page = stk_lower_page(page);
	struct address_space *lower_mapping = lower_page->mapping;
	int err;

	if (wbc->for_reclaim) {
		set_page_dirty(lower_page);
		unlock_page(page);
		return 0;	/* want: writepage-clean-page-dropped@info */
	}
	err = lower_mapping->a_ops->writepage(lower_page, wbc);
	if (err == AOP_WRITEPAGE_ACTIVATE) {
		unlock_page(lower_page);
		err = 0;
	}
	put_page(lower_page);
	unlock_page(page);
	return err;
}

static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, xfoo_get_block, wbc);
}
