/* kernel-version: 2.6.23 */
static void stk_sync_page(struct page *page)	/* want: sync-page-obsolete@warning */
{
	struct page *lower = stk_lower_page(page);

	lower->mapping->a_ops->sync_page(lower);
}

static const struct address_space_operations stk_aops = {
	.writepage	= stk_writepage,
	.sync_page	= stk_sync_page,	/* want: sync-page-obsolete@warning */
};
