/* kernel-version: 6.1 */
static void xfoo_read_tail(struct page *page, char *buf, size_t off, size_t len)
{
	void *p = kmap_atomic(page);	/* want: kmap-deprecated-api@warning */

	xfoo_decode(buf, p + off, len);
	kunmap_atomic(p);	/* want: kmap-deprecated-api@warning */
}
