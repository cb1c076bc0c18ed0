/* kernel-version: 6.12 */
static int xfoo_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	int err;

	if (xfoo_inline(inode)) {
		err = xfoo_read_inline(inode, folio);
		if (!err)
			folio_mark_uptodate(folio);
		folio_unlock(folio);
		return err;
	}
	if (xfoo_shutdown(inode)) {
		folio_unlock(folio);
		return -EIO;
	}
	return mpage_read_folio(folio, xfoo_get_block);
}

/* The read completes asynchronously: the end_io handler unlocks. */
static int xfoo_readpage(struct file *file, struct page *page)
{
	struct bio *bio = xfoo_bio_alloc(page);

	if (!bio) {
		unlock_page(page);
		return -ENOMEM;
	}
	submit_bio(bio);
	return 0;
}

/* v6.10+: folio_end_read() unlocks. */
static int xfoo2_read_folio(struct file *file, struct folio *folio)
{
	int err = xfoo_fill(folio);

	folio_end_read(folio, err == 0);
	return err;
}

static const struct address_space_operations xfoo_aops = {
	.read_folio	= xfoo_read_folio,
	.readpage	= xfoo_readpage,
};

static const struct address_space_operations xfoo2_aops = {
	.read_folio	= xfoo2_read_folio,
};

/* ext4/f2fs style: a status constant decides the path (ret stays -EAGAIN
 * when there is no inline data, and the folio goes to the block reader). */
static int xfoo3_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	int ret = -EAGAIN;

	if (xfoo_has_inline(inode))
		ret = xfoo_readpage_inline(inode, folio);
	if (ret == -EAGAIN)
		return mpage_read_folio(folio, xfoo_get_block);
	return ret;
}

/* ocfs2 style: a flag says whether the folio is still ours to unlock. */
static int xfoo4_read_folio(struct file *file, struct folio *folio)
{
	int ret, unlock = 1;

	if (xfoo_busy(folio)) {
		ret = AOP_TRUNCATED_PAGE;
		goto out;
	}
	ret = block_read_full_folio(folio, xfoo_get_block);
	unlock = 0;
out:
	if (unlock)
		folio_unlock(folio);
	return ret;
}

static const struct address_space_operations xfoo3_aops = {
	.read_folio	= xfoo3_read_folio,
};

static const struct address_space_operations xfoo4_aops = {
	.read_folio	= xfoo4_read_folio,
};
