static void xfoo_release(struct page *page)
{
	ClearPageChecked(page);
	unlock_page(page);
}

static void xfoo_finish_page(struct page *page)
{
	xfoo_release(page);
	put_page(page);
}

static void xfoo_maybe_release(struct page *page, bool done)
{
	if (done)
		unlock_page(page);
}

static int xfoo_fill(struct address_space *mapping, pgoff_t index)
{
	struct page *page = find_lock_page(mapping, index);

	if (!page)
		return -ENOENT;
	if (!PageUptodate(page)) {
		xfoo_release(page);
		put_page(page);
		return -EIO;
	}
	xfoo_finish_page(page);
	return 0;
}

/* Relocked in between: no double unlock. A helper that unlocks on some paths only: not known. */
static int xfoo_redo(struct address_space *mapping, pgoff_t index, bool done)
{
	struct page *page = find_lock_page(mapping, index);

	if (!page)
		return -ENOENT;
	xfoo_release(page);
	lock_page(page);
	xfoo_maybe_release(page, done);
	unlock_page(page);
	put_page(page);
	return 0;
}

/* A writepage that tail-calls a same-file helper which unlocks on every path. */
static int xfoo_do_write(struct page *page, struct writeback_control *wbc)
{
	if (!PageUptodate(page)) {
		xfoo_release(page);
		return -EIO;
	}
	return block_write_full_page(page, xfoo_get_block, wbc);
}

static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	return xfoo_do_write(page, wbc);
}
