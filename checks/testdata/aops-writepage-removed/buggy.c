/* kernel-version: 6.16 */
static const struct address_space_operations xfoo_aops = {
	.read_folio	= xfoo_read_folio,
	.writepage	= xfoo_writepage,	/* want: aops-writepage-removed@error */
};
