/* kernel-version: 6.1 -- NULL before v6.4 */
static int xfoo_zero_folio(struct address_space *mapping, pgoff_t index, gfp_t gfp)
{
	struct folio *folio;

	folio = __filemap_get_folio(mapping, index, FGP_LOCK | FGP_CREAT, gfp);
	if (!folio)
		return -ENOMEM;
	folio_unlock(folio);
	folio_put(folio);
	folio = filemap_lock_folio(mapping, index);
	if (IS_ERR(folio))	/* want: filemap-folio-errptr-check@warning */
		return PTR_ERR(folio);
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}
