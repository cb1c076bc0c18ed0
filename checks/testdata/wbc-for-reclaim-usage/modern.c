/* kernel-version: 6.17 */
static int xfoo_write_folio(struct folio *folio, struct writeback_control *wbc)
{
	if (wbc->for_reclaim) {	/* want: wbc-for-reclaim-usage@error */
		folio_redirty_for_writepage(wbc, folio);
		folio_unlock(folio);
		return 0;
	}
	return xfoo_submit_folio(folio, wbc);
}
