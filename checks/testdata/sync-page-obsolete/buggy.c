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

/* Details inside a ->sync_page implementation are subsumed: delete it. */
static void stk2_sync_page(struct page *page)	/* want: sync-page-obsolete */
{
	struct address_space *mapping = stk_lower_mapping(page);
	gfp_t old = mapping_gfp_mask(mapping);
	struct page *lower_page;

	mapping_set_gfp_mask(mapping, old & ~(__GFP_IO | __GFP_FS));
	lower_page = grab_cache_page(mapping, page->index);
	mapping_set_gfp_mask(mapping, old);
	if (!lower_page)
		return;
	unlock_page(lower_page);
	page_cache_release(lower_page);
}
