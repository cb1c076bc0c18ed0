/* kernel-version: 6.12 -- a per-folio writer known by what it does, not by
 * its parameter order (ext4_bio_write_folio style): the folio stays locked
 * for the caller, but a success with nothing written nor redirtied loses it. */
int xfoo_bio_write_folio(struct xfoo_io_submit *io, struct folio *folio, size_t len)
{
	struct writeback_control *wbc = io->io_wbc;
	struct buffer_head *bh, *head;
	int nr_to_submit = 0;

	bh = head = folio_buffers(folio);
	do {
		if (!buffer_dirty(bh))
			continue;
		set_buffer_async_write(bh);
		nr_to_submit++;
	} while ((bh = bh->b_this_page) != head);

	if (!nr_to_submit)
		return 0;	/* want: writepage-clean-page-dropped@warning */

	folio_start_writeback(folio);
	do {
		if (buffer_async_write(bh))
			xfoo_io_add_bh(io, folio, bh);
	} while ((bh = bh->b_this_page) != head);
	return 0;
}

/* Fixed: cycle the folio through writeback so the tags are updated. */
int xfoo2_bio_write_folio(struct xfoo_io_submit *io, struct folio *folio, size_t len)
{
	struct writeback_control *wbc = io->io_wbc;
	struct buffer_head *bh, *head;
	int nr_to_submit = 0;

	bh = head = folio_buffers(folio);
	do {
		if (!buffer_dirty(bh))
			continue;
		set_buffer_async_write(bh);
		nr_to_submit++;
	} while ((bh = bh->b_this_page) != head);

	if (!nr_to_submit) {
		folio_start_writeback(folio);
		folio_end_writeback(folio);
		return 0;
	}
	folio_start_writeback(folio);
	do {
		if (buffer_async_write(bh))
			xfoo_io_add_bh(io, folio, bh);
	} while ((bh = bh->b_this_page) != head);
	return 0;
}
