/* kernel-version: 6.12 -- folios taken from a folio_batch: each one this
 * function locks must be unlocked before the next one is taken. */
static void xfoo_clear_dirty(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	struct folio_batch fbatch;
	unsigned int i;

	folio_batch_init(&fbatch);
	while (filemap_get_folios(mapping, &start, end, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];	/* want: pagecache-lookup-lock-balance */

			folio_lock(folio);
			if (folio->mapping != mapping)
				continue;	/* want: pagecache-lookup-lock-balance */
			folio_clear_dirty_for_io(folio);
			folio_unlock(folio);
		}
		folio_batch_release(&fbatch);
		cond_resched();
	}
}

static void xfoo_clear_dirty_fixed(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	struct folio_batch fbatch;
	unsigned int i;

	folio_batch_init(&fbatch);
	while (filemap_get_folios(mapping, &start, end, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];

			if (!folio_trylock(folio))
				continue;
			if (folio->mapping != mapping) {
				folio_unlock(folio);
				continue;
			}
			folio_clear_dirty_for_io(folio);
			folio_unlock(folio);
		}
		folio_batch_release(&fbatch);
		cond_resched();
	}
}

/* An array of pages (f2fs compress style): lock each, unlock each. */
static int xfoo_lock_cluster(struct xfoo_ctx *cc)
{
	int i;

	for (i = 0; i < cc->cluster_size; i++) {
		struct page *page = cc->rpages[i];

		lock_page(page);
		if (!PageUptodate(page)) {
			unlock_page(page);
			return -EIO;
		}
		xfoo_fill(page);
		unlock_page(page);
	}
	return 0;
}
