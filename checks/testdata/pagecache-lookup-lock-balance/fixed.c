static int xfoo_check_lower(struct address_space *lower_mapping, pgoff_t index)
{
	struct folio *folio;

	folio = filemap_grab_folio(lower_mapping, index);
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	if (xfoo_lower_is_stale(folio)) {
		folio_unlock(folio);
		folio_put(folio);
		return -ESTALE;
	}
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}
