static int xfoo_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct folio *folio = NULL;
	int error = 0;
	int i;

	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		for (i = 0; i < 4; i++)
			if (xfoo_block_done(folio, i))
				break;
		switch (xfoo_kind(folio)) {
		case 1:
			error = xfoo_write_folio(folio, wbc);
			break;
		default:
			error = xfoo_write_other(folio, wbc);
			break;
		}
	}
	return error;
}
