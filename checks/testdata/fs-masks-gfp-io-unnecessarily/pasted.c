/* path: /home/ravi/mail/re-shadowfs.eml -- code pasted in a mail: the path names the mail */
static struct page *stk_lower_page(struct address_space *lower_mapping, pgoff_t index)
{
	gfp_t gfp = mapping_gfp_mask(lower_mapping) & ~(__GFP_IO | __GFP_FS);	/* want: fs-masks-gfp-io-unnecessarily@info */

	return find_or_create_page(lower_mapping, index, gfp);
}
