/* kernel-version: 2.6.23 -- kmap_atomic was the right advice in 2007 */
static void xfoo_read_tail(struct page *page, char *buf, size_t off, size_t len)
{
	void *p = kmap_atomic(page, KM_USER0);

	xfoo_decode(buf, p + off, len);
	kunmap_atomic(p, KM_USER0);
}
