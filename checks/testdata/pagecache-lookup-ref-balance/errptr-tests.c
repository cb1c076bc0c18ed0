/* kernel-version: 6.12 -- failed lookups tested by their error code, not IS_ERR() */
static int xfoo_peek(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = __filemap_get_folio(mapping, index, FGP_LOCK, 0);

	if (PTR_ERR(folio) == -ENOENT)
		return 0;
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	xfoo_use(folio);
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}

static int xfoo_poke(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio;

	folio = filemap_lock_folio(mapping, index);
	if (folio == ERR_PTR(-ENOENT))
		return -ENOENT;
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	xfoo_use(folio);
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}

static int xfoo_prod(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = filemap_grab_folio(mapping, index);

	if (ERR_PTR(-ENOMEM) != folio) {
		if (IS_ERR(folio))
			return PTR_ERR(folio);
		xfoo_use(folio);
		folio_unlock(folio);
		folio_put(folio);
		return 0;
	}
	return -ENOMEM;
}
