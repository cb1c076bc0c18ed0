/* kernel-version: 6.4 */
static int xfoo_zero_folio(struct address_space *mapping, pgoff_t index, gfp_t gfp)
{
	struct folio *folio;

	folio = __filemap_get_folio(mapping, index, FGP_LOCK | FGP_CREAT, gfp);
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	folio_zero_range(folio, 0, folio_size(folio));
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}

static int xfoo_lock_cached(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = filemap_lock_folio(mapping, index);

	if (IS_ERR_OR_NULL(folio))
		return -ENOENT;
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}
