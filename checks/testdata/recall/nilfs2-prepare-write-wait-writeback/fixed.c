/* path: fs/nilfs2/segment.c kernel-version: 6.12
 * Extracted from Debian linux-source-6.12, fs/nilfs2/segment.c. GPL-2.0.
 * nilfs2: fix potential kernel bug due to lack of writeback flag waiting (linux-nilfs list, 2024)
 */
static void nilfs_prepare_write_logs(struct list_head *logs, u32 seed)
{
	struct nilfs_segment_buffer *segbuf;
	struct folio *bd_folio = NULL, *fs_folio = NULL;
	struct buffer_head *bh;

	/* Prepare to write payload blocks */
	list_for_each_entry(segbuf, logs, sb_list) {
		list_for_each_entry(bh, &segbuf->sb_payload_buffers,
				    b_assoc_buffers) {
			if (bh == segbuf->sb_super_root)
				break;
			set_buffer_async_write(bh);
			if (bh->b_folio != fs_folio) {
				nilfs_begin_folio_io(fs_folio);
				fs_folio = bh->b_folio;
			}
		}
	}
	nilfs_begin_folio_io(fs_folio);

	nilfs_add_checksums_on_logs(logs, seed);

	/* Prepare to write segment summary blocks */
	list_for_each_entry(segbuf, logs, sb_list) {
		list_for_each_entry(bh, &segbuf->sb_segsum_buffers,
				    b_assoc_buffers) {
			mark_buffer_dirty(bh);
			if (bh->b_folio == bd_folio)
				continue;
			if (bd_folio) {
				folio_lock(bd_folio);
				folio_wait_writeback(bd_folio);
				folio_clear_dirty_for_io(bd_folio);
				folio_start_writeback(bd_folio);
				folio_unlock(bd_folio);
			}
			bd_folio = bh->b_folio;
		}
	}

	/* Prepare to write super root block */
	bh = NILFS_LAST_SEGBUF(logs)->sb_super_root;
	if (bh) {
		mark_buffer_dirty(bh);
		if (bh->b_folio != bd_folio) {
			folio_lock(bd_folio);
			folio_wait_writeback(bd_folio);
			folio_clear_dirty_for_io(bd_folio);
			folio_start_writeback(bd_folio);
			folio_unlock(bd_folio);
			bd_folio = bh->b_folio;
		}
	}

	if (bd_folio) {
		folio_lock(bd_folio);
		folio_wait_writeback(bd_folio);
		folio_clear_dirty_for_io(bd_folio);
		folio_start_writeback(bd_folio);
		folio_unlock(bd_folio);
	}
}
