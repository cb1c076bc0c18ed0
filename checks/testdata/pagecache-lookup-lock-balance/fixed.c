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

/* A flag tested twice keeps its first outcome (fs/buffer.c __find_get_block_slow). */
static struct buffer_head *xfoo_find_bh(struct address_space *bd_mapping, pgoff_t index, bool atomic)
{
	struct buffer_head *ret = NULL;
	struct folio *folio;

	folio = __filemap_get_folio(bd_mapping, index, FGP_ACCESSED, 0);
	if (IS_ERR(folio))
		goto out;
	if (atomic)
		spin_lock(&bd_mapping->i_private_lock);
	else
		folio_lock(folio);
	ret = xfoo_scan(folio);
	if (atomic)
		spin_unlock(&bd_mapping->i_private_lock);
	else
		folio_unlock(folio);
	folio_put(folio);
out:
	return ret;
}
