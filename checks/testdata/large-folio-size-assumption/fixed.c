/* kernel-version: 6.6 */
static void xfoo_read_folio_data(struct folio *folio, char *buf)
{
	memcpy_from_folio(buf, folio, 0, folio_size(folio));
}

static void xfoo_dup(struct folio *dst, struct folio *src)
{
	folio_copy(dst, src);
}
