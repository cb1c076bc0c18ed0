static int stk_writepage(struct page *page, struct writeback_control *wbc)
{
	struct file *lower_file = stk_lower_file(page->mapping->host);
	loff_t pos = page_offset(page);
	void *kaddr = kmap_local_page(page);
	ssize_t n = kernel_write(lower_file, kaddr, PAGE_SIZE, &pos);

	kunmap_local(kaddr);
	if (n < 0)
		mapping_set_error(page->mapping, n);
	unlock_page(page);
	return 0;	/* want: writepage-clean-page-dropped@info */
}
