/* kernel-version: 6.12 */
static int xfoo_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	int err;

	if (xfoo_inline(inode)) {
		err = xfoo_read_inline(inode, folio);
		if (err)
			return err;	/* want: read-folio-unlock-contract@error */
		folio_mark_uptodate(folio);
		folio_unlock(folio);
		return 0;
	}
	if (xfoo_shutdown(inode))
		return -EIO;	/* want: read-folio-unlock-contract@error */
	return mpage_read_folio(folio, xfoo_get_block);
}

static const struct address_space_operations xfoo_aops = {
	.read_folio	= xfoo_read_folio,
};
