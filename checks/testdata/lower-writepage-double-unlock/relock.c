/* mm/migrate.c writeout(): relocking first is fine. */
static int writeout(struct address_space *mapping, struct page *page)
{
	struct writeback_control wbc = { .sync_mode = WB_SYNC_NONE };
	int rc;

	if (!clear_page_dirty_for_io(page))
		return -EAGAIN;
	rc = mapping->a_ops->writepage(page, &wbc);
	if (rc != AOP_WRITEPAGE_ACTIVATE)
		lock_page(page);
	unlock_page(page);
	return (rc < 0) ? -EIO : -EAGAIN;
}

static int xfoo_flush(struct page *page)
{
	int err = write_one_page(page);

	if (err < 0)
		unlock_page(page);	/* want: lower-writepage-double-unlock */
	return err;
}
