static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;

	if (!xfoo_space_available(inode)) {
		set_page_dirty(page);
		return AOP_WRITEPAGE_ACTIVATE;	/* want: writepage-activate-origin-restricted@warning */
	}
	if (xfoo_frozen(inode)) {
		unlock_page(page);
		return AOP_WRITEPAGE_ACTIVATE;	/* want: writepage-activate-origin-restricted@error */
	}
	return block_write_full_page(page, xfoo_get_block, wbc);
}
