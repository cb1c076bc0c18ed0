static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
{
	struct xfoo_req *req = kzalloc(sizeof(*req), GFP_KERNEL);	/* want: writeback-path-fs-reclaim-alloc@warning */
	struct page *tmp = grab_cache_page(xfoo_shadow(page), page->index);	/* want: writeback-path-fs-reclaim-alloc */

	if (tmp) {
		unlock_page(tmp);
		put_page(tmp);
	}
	kfree(req);
	unlock_page(page);
	return 0;	/* want: writepage-clean-page-dropped */
}
