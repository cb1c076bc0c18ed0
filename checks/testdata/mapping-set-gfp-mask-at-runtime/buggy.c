static struct page *stk_get_lower(struct address_space *lower_mapping, pgoff_t index)
{
	gfp_t old;
	struct page *lower_page;

	old = mapping_gfp_mask(lower_mapping);
	mapping_set_gfp_mask(lower_mapping, old & ~__GFP_FS);	/* want: mapping-set-gfp-mask-at-runtime@error */
	lower_page = grab_cache_page(lower_mapping, index);
	mapping_set_gfp_mask(lower_mapping, old);	/* want: mapping-set-gfp-mask-at-runtime@error */
	return lower_page;
}

static int xfoo_open(struct inode *inode, struct file *file)
{
	mapping_set_gfp_mask(inode->i_mapping, GFP_NOFS);	/* want: mapping-set-gfp-mask-at-runtime@warning */
	return 0;
}
