/* kernel-version: 4.19 -- an out-of-tree module's compatibility shim */
static void xfoo_release(struct page *page)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 6, 0)
	page_cache_release(page);
#else
	put_page(page);
#endif
	page_cache_release(page);	/* want: page-cache-size-macros-removed@error */
}
