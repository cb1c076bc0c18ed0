/* end_page_writeback() does not unlock the page. */
static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	set_page_writeback(page);
	xfoo_copy_out(page);
	end_page_writeback(page);
	return 0;	/* want: writepage-unlock-all-paths */
}
