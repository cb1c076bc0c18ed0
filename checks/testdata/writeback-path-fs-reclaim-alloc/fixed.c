static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	unsigned int nofs = memalloc_nofs_save();
	struct xfoo_req *req = kzalloc(sizeof(*req), GFP_KERNEL);

	memalloc_nofs_restore(nofs);
	kfree(req);
	req = kzalloc(sizeof(*req), GFP_NOFS);
	kfree(req);
	unlock_page(page);
	return 0;	/* want: writepage-clean-page-dropped */
}

/* Not a writeback path. */
static int xfoo_fill(struct inode *inode)
{
	void *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	return 0;
}
