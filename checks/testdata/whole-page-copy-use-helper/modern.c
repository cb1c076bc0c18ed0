/* kernel-version: 6.1 */
static void xfoo_read_tail(struct page *page, char *buf, size_t len)
{
	void *p = kmap_local_page(page);

	memcpy(buf, p, len);	/* want: whole-page-copy-use-helper */
	kunmap_local(p);
}
