/* path: drivers/block/loop.c -- the block layer must mask __GFP_IO */
static void loop_set_mask(struct file *file)
{
	struct address_space *mapping = file->f_mapping;

	mapping_set_gfp_mask(mapping, mapping_gfp_mask(mapping) & ~(__GFP_IO | __GFP_FS));	/* want: mapping-set-gfp-mask-at-runtime@info */
}
