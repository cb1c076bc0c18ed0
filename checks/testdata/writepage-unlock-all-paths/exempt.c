/* Not findings: lock transfer, ACTIVATE in shmem reclaim, *_locked helpers. path: mm/shmem.c */
static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, xfoo_get_block, wbc);
}

static int shmem_writepage(struct page *page, struct writeback_control *wbc)
{
	if (!shmem_has_swap(page))
		goto redirty;
	return swap_writepage(page, wbc);
redirty:
	set_page_dirty(page);
	if (wbc->for_reclaim)
		return AOP_WRITEPAGE_ACTIVATE;	/* Return with page locked */
	unlock_page(page);
	return 0;
}

static int xfoo_writepage_locked(struct page *page, struct writeback_control *wbc)
{
	return xfoo_write_out(page);
}

static void xfoo_end_io(struct page *page, struct writeback_control *wbc)
{
	end_page_writeback(page);
}
