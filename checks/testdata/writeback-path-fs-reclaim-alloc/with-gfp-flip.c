/* The flip is R10's finding; the kmalloc beside it is still this rule's.
 * (When the lower lookup fails the data is dropped: R08 is right.) */
static int stk_writepage(struct page *page, struct writeback_control *wbc)
{
	struct address_space *lower_mapping = stk_lower_mapping(page);
	struct page *lower_page;
	gfp_t old = mapping_gfp_mask(lower_mapping);
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);	/* want: writeback-path-fs-reclaim-alloc@warning */

	if (!buf) {
		redirty_page_for_writepage(wbc, page);
		unlock_page(page);
		return 0;
	}
	mapping_set_gfp_mask(lower_mapping, old & ~__GFP_FS);	/* want: mapping-set-gfp-mask-at-runtime@error */
	lower_page = grab_cache_page(lower_mapping, page->index);	/* want: stacking-fs-lower-pagecache-poke */
	mapping_set_gfp_mask(lower_mapping, old);	/* want: mapping-set-gfp-mask-at-runtime@error */
	if (lower_page) {
		stk_encode(buf, page);
		memcpy_to_page(lower_page, 0, buf, PAGE_SIZE);
		set_page_dirty(lower_page);
		unlock_page(lower_page);
		put_page(lower_page);
	}
	kfree(buf);
	unlock_page(page);
	return 0;	/* want: writepage-clean-page-dropped */
}
