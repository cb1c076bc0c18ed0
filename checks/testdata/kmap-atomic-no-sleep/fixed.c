/* kernel-version: 5.15 */
static int xfoo_transform_page(struct page *lower_page, struct page *page)
{
	char *dst, *src, *tmp;

	tmp = kmalloc(PAGE_SIZE, GFP_NOFS);
	if (!tmp)
		return -ENOMEM;
	dst = kmap_local_page(lower_page);
	src = kmap_local_page(page);
	xfoo_transform(tmp, src);
	mutex_lock(&xfoo_mutex);
	memcpy(dst, tmp, PAGE_SIZE);
	mutex_unlock(&xfoo_mutex);
	kunmap_local(src);
	kunmap_local(dst);
	kfree(tmp);
	return 0;
}
