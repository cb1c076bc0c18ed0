/* kernel-version: 6.1 */
static const struct address_space_operations xfoo_aops = {
	.read_folio	= xfoo_read_folio,
	.writepage	= xfoo_writepage,	/* want: aops-writepage-removed@info */
	.writepages	= xfoo_writepages,
};
