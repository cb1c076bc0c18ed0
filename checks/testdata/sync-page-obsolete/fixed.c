/* kernel-version: 2.6.23 */
static const struct address_space_operations stk_aops = {
	.writepage	= stk_writepage,
};
