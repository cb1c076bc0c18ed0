/* kernel-version: 6.1 */
static void xfoo_copy(struct page *dst, struct page *src)
{
	void *a = kmap_local_page(src);
	void *b = kmap_local_page(dst);

	xfoo_mix(b, a);
	kunmap_local(b);
	kunmap_local(a + 16);
}
