static int xfoo_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct folio *folio = NULL;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		error = xfoo_write_folio(folio, wbc);
		if (error)
			break;		/* want: writeback-iter-no-early-exit@error */
		if (xfoo_stop(mapping))
			goto out;	/* want: writeback-iter-no-early-exit */
	}
out:
	return error;
}

static int xbar_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct folio *folio = NULL;
	int error = 0, ret = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error)))
		ret = xbar_write_folio(folio, wbc);	/* want: writeback-iter-no-early-exit@info */
	return error ? error : ret;
}
