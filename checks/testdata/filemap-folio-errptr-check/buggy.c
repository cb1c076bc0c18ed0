/* kernel-version: 6.4 */
static int xfoo_zero_folio(struct address_space *mapping, pgoff_t index, gfp_t gfp)
{
	struct folio *folio;
	struct page *page;

	folio = __filemap_get_folio(mapping, index, FGP_LOCK | FGP_CREAT, gfp);
	if (!folio)	/* want: filemap-folio-errptr-check@error */
		return -ENOMEM;
	folio_zero_range(folio, 0, folio_size(folio));
	folio_unlock(folio);
	folio_put(folio);

	page = read_mapping_page(mapping, index, NULL);
	if (!page)	/* want: filemap-folio-errptr-check@error */
		return -EIO;
	put_page(page);

	page = find_or_create_page(mapping, index, gfp);
	if (IS_ERR(page))	/* want: filemap-folio-errptr-check@warning */
		return PTR_ERR(page);
	unlock_page(page);
	put_page(page);
	return 0;
}
