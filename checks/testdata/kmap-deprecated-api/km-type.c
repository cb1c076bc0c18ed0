/* kernel-version: 3.10 */
static void xfoo_read_tail(struct page *page, char *buf, size_t off, size_t len)
{
	void *p = kmap_atomic(page, KM_USER0);	/* want: kmap-deprecated-api@error */

	xfoo_decode(buf, p + off, len);
	kunmap_atomic(p);
}
