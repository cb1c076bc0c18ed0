/* kernel-version: 4.19 */
static int xfoo_transform_page(struct page *lower_page, struct page *page)
{
	char *dst, *src, *tmp;

	dst = kmap_atomic(lower_page);
	src = kmap_atomic(page);
	tmp = kmalloc(PAGE_SIZE, GFP_NOFS);	/* want: kmap-atomic-no-sleep@error */
	xfoo_transform(tmp, src);
	if (copy_from_user(tmp, xfoo_ubuf, 16))	/* want: kmap-atomic-no-sleep@warning */
		memset(tmp, 0, 16);
	memcpy(dst, tmp, PAGE_SIZE);
	kunmap_atomic(src);
	kunmap_atomic(dst);
	kfree(tmp);
	return 0;
}
