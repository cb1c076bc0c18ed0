/* path: fs/afs/file.c kernel-version: 6.1
 * Extracted from Debian linux-source-6.1, fs/afs/file.c. GPL-2.0.
 * in tree: Linux 6.1 fs/afs/file.c (-ENOMEM returned with the folio locked)
 */
static int afs_symlink_read_folio(struct file *file, struct folio *folio)
{
	struct afs_vnode *vnode = AFS_FS_I(folio->mapping->host);
	struct afs_read *fsreq;
	int ret;

	fsreq = afs_alloc_read(GFP_NOFS);
	if (!fsreq) {
		folio_unlock(folio);
		return -ENOMEM;
	}

	fsreq->pos	= folio_pos(folio);
	fsreq->len	= folio_size(folio);
	fsreq->vnode	= vnode;
	fsreq->iter	= &fsreq->def_iter;
	iov_iter_xarray(&fsreq->def_iter, ITER_DEST, &folio->mapping->i_pages,
			fsreq->pos, fsreq->len);

	ret = afs_fetch_data(fsreq->vnode, fsreq);
	if (ret == 0)
		folio_mark_uptodate(folio);
	folio_unlock(folio);
	return ret;
}

const struct address_space_operations afs_symlink_aops = {
	.read_folio	= afs_symlink_read_folio,
};
