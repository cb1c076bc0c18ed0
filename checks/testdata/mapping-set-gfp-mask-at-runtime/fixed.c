/* kernel-version: 4.9 -- fixes, and one-time setup on new inodes */
static struct page *stk_get_lower(struct address_space *lower_mapping, pgoff_t index)
{
	gfp_t gfp = mapping_gfp_constraint(lower_mapping, ~__GFP_FS);

	return find_or_create_page(lower_mapping, index, gfp);
}

static struct inode *xfoo_iget(struct super_block *sb, unsigned long ino)
{
	struct inode *inode = iget_locked(sb, ino);

	mapping_set_gfp_mask(inode->i_mapping, GFP_NOFS);
	return inode;
}

static void xfoo_setup_inode(struct inode *inode)
{
	gfp_t gfp_mask = mapping_gfp_mask(inode->i_mapping);

	mapping_set_gfp_mask(inode->i_mapping, gfp_mask & ~__GFP_FS);
}
