static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	int err = xfoo_encrypt_and_store(page);

	if (err) {
		ClearPageUptodate(page);	/* want: writeback-error-not-reported */
		goto out;		/* want: writepage-unlock-all-paths@error */
	}
	SetPageUptodate(page);
	unlock_page(page);
out:
	return err;
}
