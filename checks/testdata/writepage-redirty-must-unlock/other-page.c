/* Redirtying a different page, and the writeback_iter form that unlocks later. */
static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	struct page *lower_page = xfoo_lower(page);

	set_page_dirty(lower_page);
	unlock_page(page);
	return 0;	/* want: writepage-clean-page-dropped@info */
}

static int xfoo_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct folio *folio = NULL;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		if (xfoo_skip(folio))
			folio_redirty_for_writepage(wbc, folio);
		folio_unlock(folio);
	}
	return error;
}
