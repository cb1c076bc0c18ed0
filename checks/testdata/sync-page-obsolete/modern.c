/* kernel-version: 3.2 */
static const struct address_space_operations xfoo_aops = {
	.readpage	= xfoo_readpage,
	.sync_page	= block_sync_page,	/* want: sync-page-obsolete@error */
};
