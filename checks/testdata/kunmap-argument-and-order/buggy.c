/* kernel-version: 6.1 */
static void xfoo_copy(struct page *dst, struct page *src)
{
	void *a = kmap_local_page(src);
	void *b = kmap_local_page(dst);

	xfoo_mix(b, a);
	kunmap_local(a);	/* want: kunmap-argument-and-order@error */
	kunmap_local(b);
}

static void xfoo_zero(struct page *page)
{
	void *p = kmap_local_page(page);

	xfoo_clear(p);
	kunmap_local(page);	/* want: kunmap-argument-and-order */
}

static void xfoo_old(struct page *page)
{
	char *p = kmap(page);	/* want: kmap-deprecated-api */

	xfoo_clear(p);
	kunmap(p);	/* want: kunmap-argument-and-order kmap-deprecated-api */
}
