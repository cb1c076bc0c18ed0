/* path: fs/smb/client/file.c kernel-version: 6.1
 * Extracted from Debian linux-source-6.1, fs/smb/client/file.c. GPL-2.0.
 * in tree: Linux 6.1 fs/smb/client/file.c (-EBADF returned with the folio locked)
 */
static int cifs_read_folio(struct file *file, struct folio *folio)
{
	struct page *page = &folio->page;
	loff_t offset = page_file_offset(page);
	int rc = -EACCES;
	unsigned int xid;

	xid = get_xid();

	if (file->private_data == NULL) {
		rc = -EBADF;
		folio_unlock(folio);
		free_xid(xid);
		return rc;
	}

	cifs_dbg(FYI, "read_folio %p at offset %d 0x%x\n",
		 page, (int)offset, (int)offset);

	rc = cifs_readpage_worker(file, page, &offset);

	free_xid(xid);
	return rc;
}

const struct address_space_operations cifs_addr_ops = {
	.read_folio = cifs_read_folio,
};
