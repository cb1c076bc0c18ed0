/* Writeback started and I/O submitted: the completion handler may unlock. */
static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	struct bio *bio = xfoo_bio(page);

	set_page_writeback(page);
	submit_bio(bio);
	return 0;	/* want: writepage-unlock-all-paths@info */
}
