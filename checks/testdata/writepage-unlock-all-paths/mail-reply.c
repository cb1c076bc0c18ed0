On Sun, 28 Oct 2007, A. Developer wrote:
> Below is the new writepage.  I'd appreciate it if you could look it over.
>
> static int xfoo_writepage(struct page *page, struct writeback_control *wbc)
> {
> 	int err = xfoo_store(page);
>
> 	if (err < 0)
> 		goto out;	/* want: writepage-unlock-all-paths@error */

You need to unlock_page here, don't you?  Or move the "out" label up
before the unlock_page.

> 	SetPageUptodate(page);
> 	unlock_page(page);
> out:
> 	return err;
> }

Thanks, it's getting there.
