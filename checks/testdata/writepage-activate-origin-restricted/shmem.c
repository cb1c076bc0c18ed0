/* path: mm/shmem.c -- the legitimate origin */
static int shmem_writepage(struct page *page, struct writeback_control *wbc)
{
	if (shmem_no_swap(page))
		goto redirty;
	return swap_writepage(page, wbc);
redirty:
	set_page_dirty(page);
	if (wbc->for_reclaim)
		return AOP_WRITEPAGE_ACTIVATE;
	unlock_page(page);
	return 0;
}
