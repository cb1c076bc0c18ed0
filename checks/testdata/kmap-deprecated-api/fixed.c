/* kernel-version: 6.1 */
static void xfoo_read_tail(struct page *page, char *buf, size_t off, size_t len)
{
	void *p = kmap_local_page(page);

	xfoo_decode(buf, p + off, len);
	kunmap_local(p);
}
