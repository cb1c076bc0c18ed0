static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	int err = xfoo_encrypt_and_store(page);

	if (err)
		mapping_set_error(page->mapping, err);
	unlock_page(page);
	return err;
}
