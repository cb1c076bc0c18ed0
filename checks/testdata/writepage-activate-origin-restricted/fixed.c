static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;

	if (!xfoo_space_available(inode)) {
		redirty_page_for_writepage(wbc, page);
		unlock_page(page);
		return 0;
	}
	return block_write_full_page(page, xfoo_get_block, wbc);
}
