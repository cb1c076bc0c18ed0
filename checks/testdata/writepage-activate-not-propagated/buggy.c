static int stk_writepage(struct page *page, struct writeback_control *wbc)
{
	struct page *lower_page = stk_lower_page(page);
	struct address_space *lower_mapping = lower_page->mapping;
	int err;

	err = lower_mapping->a_ops->writepage(lower_page, wbc);	/* want: wbc-for-reclaim-usage aop-activate-caller-must-unlock */
	put_page(lower_page);
	unlock_page(page);
	return err;	/* want: writepage-activate-not-propagated@error */
}

static int stk2_writepage(struct page *page, struct writeback_control *wbc)
{
	struct page *lower_page = stk_lower_page(page);

	unlock_page(page);
	return lower_page->mapping->a_ops->writepage(lower_page, wbc);	/* want: writepage-activate-not-propagated wbc-for-reclaim-usage */
}
