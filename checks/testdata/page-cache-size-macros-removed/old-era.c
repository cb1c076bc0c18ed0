/* kernel-version: 2.6.30 -- the macros exist; only mixing is a problem */
static int xfoo_fill(struct page *page, loff_t size)
{
	pgoff_t end_index = size >> PAGE_CACHE_SHIFT;
	unsigned offset = size & (PAGE_CACHE_SIZE - 1);
	unsigned len = PAGE_SIZE - PAGE_CACHE_SIZE / 2;	/* want: page-cache-size-macros-removed@warning */

	if (page->index > end_index)
		return 0;
	page_cache_release(page);
	return offset + len;
}
