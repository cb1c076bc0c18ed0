static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	if (PageWriteback(page)) {
		if (wbc->sync_mode == WB_SYNC_NONE) {
			redirty_page_for_writepage(wbc, page);
			unlock_page(page);
			return 0;
		}
		wait_on_page_writeback(page);
	}
	return block_write_full_page(page, xfoo_get_block, wbc);
}
