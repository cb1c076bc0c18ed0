/* kernel-version: 6.12 */
static void xfoo_end_io(struct folio *folio, int err)
{
	if (err)
		mapping_set_error(folio->mapping, err);
	folio_end_writeback(folio);
}
