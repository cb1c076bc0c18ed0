static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	struct bio *bio;

	set_page_writeback(page);
	unlock_page(page);
	bio = xfoo_build_bio(page, wbc);
	if (!bio)
		return -ENOMEM;		/* want: writeback-start-end-pairing@error */
	submit_bio(bio);
	return 0;
}

static int xbar_writepage(struct page *page, struct writeback_control *wbc)
{
	xbar_copy(page);
	unlock_page(page);
	end_page_writeback(page);	/* want: writeback-start-end-pairing */
	return 0;
}
