/* path: fs/nilfs2/file.c kernel-version: 6.12
 * Extracted from Debian linux-source-6.12, fs/nilfs2/file.c. GPL-2.0.
 * nilfs2: fix hang in nilfs_lookup_dirty_data_buffers() (linux-nilfs list, 2024): wait for writeback, not only for stable pages
 */
static vm_fault_t nilfs_page_mkwrite(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct folio *folio = page_folio(vmf->page);
	struct inode *inode = file_inode(vma->vm_file);
	struct nilfs_transaction_info ti;
	struct buffer_head *bh, *head;
	int ret = 0;

	if (unlikely(nilfs_near_disk_full(inode->i_sb->s_fs_info)))
		return VM_FAULT_SIGBUS; /* -ENOSPC */

	sb_start_pagefault(inode->i_sb);
	folio_lock(folio);
	if (folio->mapping != inode->i_mapping ||
	    folio_pos(folio) >= i_size_read(inode) ||
	    !folio_test_uptodate(folio)) {
		folio_unlock(folio);
		ret = -EFAULT;	/* make the VM retry the fault */
		goto out;
	}

	/*
	 * check to see if the folio is mapped already (no holes)
	 */
	if (folio_test_mappedtodisk(folio))
		goto mapped;

	head = folio_buffers(folio);
	if (head) {
		int fully_mapped = 1;

		bh = head;
		do {
			if (!buffer_mapped(bh)) {
				fully_mapped = 0;
				break;
			}
		} while (bh = bh->b_this_page, bh != head);

		if (fully_mapped) {
			folio_set_mappedtodisk(folio);
			goto mapped;
		}
	}
	folio_unlock(folio);

	/*
	 * fill hole blocks
	 */
	ret = nilfs_transaction_begin(inode->i_sb, &ti, 1);
	/* never returns -ENOMEM, but may return -ENOSPC */
	if (unlikely(ret))
		goto out;

	file_update_time(vma->vm_file);
	ret = block_page_mkwrite(vma, vmf, nilfs_get_block);
	if (ret) {
		nilfs_transaction_abort(inode->i_sb);
		goto out;
	}
	nilfs_set_file_dirty(inode, 1 << (PAGE_SHIFT - inode->i_blkbits));
	nilfs_transaction_commit(inode->i_sb);

 mapped:
	/*
	 * Since checksumming including data blocks is performed to determine
	 * the validity of the log to be written and used for recovery, it is
	 * necessary to wait for writeback to finish here, regardless of the
	 * stable write requirement of the backing device.
	 */
	folio_wait_stable(folio);
 out:
	sb_end_pagefault(inode->i_sb);
	return vmf_fs_error(ret);
}
