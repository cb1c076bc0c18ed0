static struct page *stk_lower_page(struct address_space *lower_mapping, pgoff_t index)
{
	gfp_t gfp = mapping_gfp_constraint(lower_mapping, ~__GFP_FS);

	return find_or_create_page(lower_mapping, index, gfp);
}
