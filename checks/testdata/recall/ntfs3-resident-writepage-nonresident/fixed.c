/* path: fs/ntfs3/inode.c kernel-version: 6.12
 * Extracted from Debian linux-source-6.12, fs/ntfs3/inode.c. GPL-2.0.
 * in tree: Linux 6.12 fs/ntfs3/inode.c (E_NTFS_NONRESIDENT from attr_data_write_resident() returns with the folio locked; needs the mined contract)
 */
static int ntfs_resident_writepage(struct folio *folio,
				   struct writeback_control *wbc, void *data)
{
	struct address_space *mapping = data;
	struct inode *inode = mapping->host;
	struct ntfs_inode *ni = ntfs_i(inode);
	int ret;

	if (unlikely(ntfs3_forced_shutdown(inode->i_sb)))
	{
		folio_unlock(folio);
		return -EIO;
	}

	ni_lock(ni);
	ret = attr_data_write_resident(ni, folio);
	ni_unlock(ni);

	folio_unlock(folio);
	mapping_set_error(mapping, ret);
	return ret;
}
