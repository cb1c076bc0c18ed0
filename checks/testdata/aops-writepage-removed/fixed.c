/* kernel-version: 6.16 */
static int xfoo_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct folio *folio = NULL;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error)))
		error = xfoo_write_folio(folio, wbc);
	return error;
}

static const struct address_space_operations xfoo_aops = {
	.read_folio	= xfoo_read_folio,
	.writepages	= xfoo_writepages,
	.dirty_folio	= filemap_dirty_folio,
};
