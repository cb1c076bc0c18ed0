/* kernel-version: 2.6.24 -- the reference review's suggestion, as info */
static int stk_writepage(struct page *page, struct writeback_control *wbc)
{
	struct page *lower_page = stk_lower(page);
	int err;

	copy_highpage(lower_page, page);
	err = lower_page->mapping->a_ops->writepage(lower_page, wbc);	/* want: wbc-for-reclaim-usage@info */
	if (err == AOP_WRITEPAGE_ACTIVATE) {
		unlock_page(lower_page);
		err = 0;
	}
	unlock_page(page);
	return err;
}
