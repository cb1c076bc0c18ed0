/*
 * The code of the reference review (Hugh Dickins, LKML, 29 Oct 2007),
 * pasted as plain code: every point he made must be found, and nothing
 * else in unionfs_sync_page but the ->sync_page point itself.
 */
static int unionfs_writepage(struct page *page, struct writeback_control *wbc)
{
	int err = -EIO;
	struct inode *inode;
	struct inode *lower_inode;
	struct page *lower_page;
	char *kaddr, *lower_kaddr;
	struct address_space *mapping; /* lower inode mapping */
	gfp_t old_gfp_mask;

	inode = page->mapping->host;
	lower_inode = unionfs_lower_inode(inode);
	mapping = lower_inode->i_mapping;

	/*
	 * find lower page (returns a locked page)
	 *
	 * We turn off __GFP_IO|__GFP_FS so as to prevent a deadlock under
	 * memory pressure conditions.  This is similar to how the loop
	 * driver behaves (see loop_set_fd in drivers/block/loop.c).
	 * If we can't find the lower page, we redirty our page and return
	 * "success" so that the VM will call us again in the (hopefully
	 * near) future.
	 */
	old_gfp_mask = mapping_gfp_mask(mapping);
	mapping_set_gfp_mask(mapping, old_gfp_mask & ~(__GFP_IO|__GFP_FS));	/* want: mapping-set-gfp-mask-at-runtime@error fs-masks-gfp-io-unnecessarily@info */

	lower_page = grab_cache_page(mapping, page->index);	/* want: stacking-fs-lower-pagecache-poke@info */
	mapping_set_gfp_mask(mapping, old_gfp_mask);	/* want: mapping-set-gfp-mask-at-runtime@error */

	if (!lower_page) {
		err = 0;
		set_page_dirty(page);
		goto out;	/* want: writepage-unlock-all-paths@error */
	}

	/* get page address, and encode it */
	kaddr = kmap(page);
	lower_kaddr = kmap(lower_page);

	memcpy(lower_kaddr, kaddr, PAGE_CACHE_SIZE);	/* want: whole-page-copy-use-helper@warning page-cache-size-macros-removed@warning */

	kunmap(page);
	kunmap(lower_page);

	BUG_ON(!mapping->a_ops->writepage);

	/* call lower writepage (expects locked page) */
	clear_page_dirty_for_io(lower_page); /* emulate VFS behavior */
	err = mapping->a_ops->writepage(lower_page, wbc);	/* want: wbc-for-reclaim-usage@info */

	/* b/c grab_cache_page locked it and ->writepage unlocks on success */
	if (err)
		unlock_page(lower_page);	/* want: lower-writepage-double-unlock@error */
	/* b/c grab_cache_page increased refcnt */
	page_cache_release(lower_page);

	if (err < 0) {
		ClearPageUptodate(page);	/* want: writeback-error-not-reported@info */
		goto out;	/* want: writepage-unlock-all-paths@error */
	}
	/*
	 * Lower file systems such as ramfs and tmpfs, may return
	 * AOP_WRITEPAGE_ACTIVATE so that the VM won't try to (pointlessly)
	 * write the page again for a while.  But those lower file systems
	 * also set the page dirty bit back again.
	 */
	if (err == AOP_WRITEPAGE_ACTIVATE)
		err = 0;

	/* all is well */
	SetPageUptodate(page);
	/* lower mtimes has changed: update ours */
	unionfs_copy_attr_times(inode);

	unlock_page(page);

out:
	return err;
}

static void unionfs_sync_page(struct page *page)	/* want: sync-page-obsolete@warning */
{
	struct inode *inode;
	struct inode *lower_inode;
	struct page *lower_page;
	struct address_space *mapping;

	inode = page->mapping->host;
	lower_inode = unionfs_lower_inode(inode);
	mapping = lower_inode->i_mapping;

	/* find lower page (returns a locked page) */
	lower_page = grab_cache_page(mapping, page->index);
	if (!lower_page)
		goto out;

	/* do the actual sync */
	if (mapping && mapping->a_ops && mapping->a_ops->sync_page)
		mapping->a_ops->sync_page(lower_page);

	/* b/c grab_cache_page locked it */
	unlock_page(lower_page);
	/* b/c grab_cache_page increased refcnt */
	page_cache_release(lower_page);

out:
	return;
}
