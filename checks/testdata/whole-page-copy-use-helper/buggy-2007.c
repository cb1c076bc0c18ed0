/* kernel-version: 2.6.23 */
static void stk_copy(struct page *lower_page, struct page *page)
{
	char *kaddr, *lower_kaddr;

	kaddr = kmap(page);
	lower_kaddr = kmap(lower_page);
	memcpy(lower_kaddr, kaddr, PAGE_CACHE_SIZE);	/* want: whole-page-copy-use-helper@warning page-cache-size-macros-removed@warning */
	kunmap(lower_page);
	kunmap(page);
}
