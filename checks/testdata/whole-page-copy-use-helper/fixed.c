/* kernel-version: 2.6.23 */
static void stk_copy(struct page *lower_page, struct page *page)
{
	copy_highpage(lower_page, page);
	flush_dcache_page(lower_page);
}

/* A transform, not a plain copy: the mapped address is used for more. */
static void stk_encrypt(struct page *dst, struct page *src)
{
	char *s = kmap(src);
	char *d = kmap(dst);

	xfoo_encrypt(d, s, PAGE_CACHE_SIZE);
	memcpy(d, s, 16);
	xfoo_checksum(s);
	kunmap(dst);
	kunmap(src);
}
