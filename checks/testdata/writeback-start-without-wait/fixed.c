/* kernel-version: 6.12 */
static void xfoo_prepare_write(struct xfoo_log *log)
{
	struct folio *folio = log->folio;

	folio_lock(folio);
	folio_wait_writeback(folio);
	folio_clear_dirty_for_io(folio);
	folio_start_writeback(folio);
	folio_unlock(folio);
}

/* A writepage gets its folio locked, after write_cache_pages() waited. */
static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	set_page_writeback(page);
	unlock_page(page);
	xfoo_submit(page);
	return 0;
}
