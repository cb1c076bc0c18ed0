/* kernel-version: 6.6 */
static void xfoo_init_mapping(struct inode *inode)
{
	mapping_set_large_folios(inode->i_mapping);
}

static void xfoo_read_folio_data(struct folio *folio, char *buf)
{
	void *src = kmap_local_folio(folio, 0);

	memcpy(buf, src, folio_size(folio));	/* want: large-folio-size-assumption@warning */
	kunmap_local(src);
}

static void xfoo_dup(struct folio *dst, struct folio *src)
{
	copy_highpage(&dst->page, &src->page);	/* want: large-folio-size-assumption */
}

static void xfoo_clear_folio(struct folio *folio)
{
	void *p = folio_address(folio);

	memset(p, 0, PAGE_SIZE);	/* want: large-folio-size-assumption */
}
