/* kernel-version: 6.12 -- a log writer that locks its folios itself */
static void xfoo_prepare_write(struct xfoo_log *log)
{
	struct folio *folio = log->folio;

	folio_lock(folio);
	folio_clear_dirty_for_io(folio);
	folio_start_writeback(folio);	/* want: writeback-start-without-wait@warning */
	folio_unlock(folio);
}
