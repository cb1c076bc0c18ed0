static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	struct bio *bio;

	set_page_writeback(page);
	unlock_page(page);
	bio = xfoo_build_bio(page, wbc);
	if (!bio) {
		mapping_set_error(page->mapping, -ENOMEM);
		end_page_writeback(page);
		return -ENOMEM;
	}
	submit_bio(bio);
	return 0;
}

/* mm/page_io.c zswap idiom */
static int xswap_writepage(struct page *page, struct writeback_control *wbc)
{
	if (xswap_store(page)) {
		set_page_writeback(page);
		unlock_page(page);
		end_page_writeback(page);
		return 0;
	}
	return __swap_writepage(page, wbc);
}
