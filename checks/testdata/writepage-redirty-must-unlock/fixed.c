static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;

	if (xfoo_io_in_flight(inode, page->index)) {
		WARN_ON(wbc->sync_mode == WB_SYNC_ALL);
		redirty_page_for_writepage(wbc, page);
		unlock_page(page);
		return 0;	/* want: writepage-sync-mode-must-not-skip@info */
	}
	return block_write_full_page(page, xfoo_get_block, wbc);
}
