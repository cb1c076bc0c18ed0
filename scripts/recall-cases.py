#!/usr/bin/env python3
"""recall-cases.py: rebuild checks/testdata/recall/ from kernel trees.

Each case is a real page-cache bug: the functions involved, extracted
verbatim from Debian's linux-source-6.1 / linux-source-6.12 (GPL-2.0), as
buggy.c (the bug: the tree's code, or the tree's fixed code with the fix
reverted) and fixed.c. cases.tsv says where each comes from, which rule
should catch it, and whether it does.

    KERNELS=$(scripts/kernel-trees.sh) python3 scripts/recall-cases.py
"""
import os, re, sys

K = os.environ.get("KERNELS") or sys.exit("set KERNELS (scripts/kernel-trees.sh)")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "checks", "testdata", "recall")

def func(version, path, name):
    src = open(os.path.join(K, version, path), errors="replace").read().split("\n")
    for i, l in enumerate(src):
        if re.match(r"^[A-Za-z_].*\b%s\(" % re.escape(name), l) and not l.rstrip().endswith(";"):
            j = i
            while src[j] != "{":
                j += 1
            k = j
            while src[k] != "}":
                k += 1
            return "\n".join(src[i:k + 1]) + "\n"
    sys.exit("%s: %s not found in %s" % (version, name, path))

def sub(text, old, new):
    if old not in text:
        sys.exit("replacement text not found:\n" + old)
    return text.replace(old, new, 1)

CASES = []

def case(name, version, path, funcs, rule, origin, how, buggy=None, fixed=None, extra=""):
    code = "\n".join(func(version, path, f) for f in funcs) + extra
    b = buggy(code) if buggy else code
    f = fixed(code) if fixed else code
    CASES.append((name, version, path, rule, origin, how, b, f))

# --- bugs in the shipped trees (the fix is ours, minimal) -----------------
case("vboxsf-writepage-ebadf", "6.1", "fs/vboxsf/file.c", ["vboxsf_writepage"], "writepage-unlock-all-paths",
     "in tree: Linux 6.1 and 6.12 fs/vboxsf/file.c", "in-tree",
     fixed=lambda c: sub(c, "\tif (!sf_handle)\n\t\treturn -EBADF;", "\tif (!sf_handle) {\n\t\tunlock_page(page);\n\t\treturn -EBADF;\n\t}"))
case("ntfs3-resident-writepage-shutdown", "6.12", "fs/ntfs3/inode.c", ["ntfs_resident_writepage"], "writepage-unlock-all-paths",
     "in tree: Linux 6.12 fs/ntfs3/inode.c (forced shutdown returns -EIO with the folio locked)", "in-tree",
     fixed=lambda c: sub(sub(c, "\t\treturn -EIO;", "\t{\n\t\tfolio_unlock(folio);\n\t\treturn -EIO;\n\t}"),
                         "\tif (ret != E_NTFS_NONRESIDENT)\n\t\tfolio_unlock(folio);", "\tfolio_unlock(folio);"))
case("ntfs3-resident-writepage-nonresident", "6.12", "fs/ntfs3/inode.c", ["ntfs_resident_writepage"], "writepage-unlock-all-paths",
     "in tree: Linux 6.12 fs/ntfs3/inode.c (E_NTFS_NONRESIDENT from attr_data_write_resident() returns with the folio locked; needs the mined contract)", "in-tree",
     buggy=lambda c: sub(c, "\t\treturn -EIO;", "\t{\n\t\tfolio_unlock(folio);\n\t\treturn -EIO;\n\t}"),
     fixed=lambda c: sub(sub(c, "\t\treturn -EIO;", "\t{\n\t\tfolio_unlock(folio);\n\t\treturn -EIO;\n\t}"),
                         "\tif (ret != E_NTFS_NONRESIDENT)\n\t\tfolio_unlock(folio);", "\tfolio_unlock(folio);"))
AFS_AOPS = "\nconst struct address_space_operations afs_symlink_aops = {\n\t.read_folio\t= afs_symlink_read_folio,\n};\n"
case("afs-symlink-read-folio-enomem", "6.1", "fs/afs/file.c", ["afs_symlink_read_folio"], "read-folio-unlock-contract",
     "in tree: Linux 6.1 fs/afs/file.c (-ENOMEM returned with the folio locked)", "in-tree", extra=AFS_AOPS,
     fixed=lambda c: sub(c, "\tif (!fsreq)\n\t\treturn -ENOMEM;", "\tif (!fsreq) {\n\t\tfolio_unlock(folio);\n\t\treturn -ENOMEM;\n\t}"))
CIFS_AOPS = "\nconst struct address_space_operations cifs_addr_ops = {\n\t.read_folio = cifs_read_folio,\n};\n"
case("cifs-read-folio-ebadf", "6.1", "fs/smb/client/file.c", ["cifs_read_folio"], "read-folio-unlock-contract",
     "in tree: Linux 6.1 fs/smb/client/file.c (-EBADF returned with the folio locked)", "in-tree", extra=CIFS_AOPS,
     fixed=lambda c: sub(c, "\t\trc = -EBADF;\n\t\tfree_xid(xid);", "\t\trc = -EBADF;\n\t\tfolio_unlock(folio);\n\t\tfree_xid(xid);"))

# --- fixes from history, reverted in the fixed code of the tree ------------
case("fuse-writepage-redirty", "6.1", "fs/fuse/file.c", ["fuse_writepage"], "writepage-redirty-must-unlock",
     "d5880c7a8620 fuse: fix missing unlock_page in fuse_writepage() (2019)", "fix reverted",
     buggy=lambda c: sub(c, "\t\tredirty_page_for_writepage(wbc, page);\n\t\tunlock_page(page);\n", "\t\tredirty_page_for_writepage(wbc, page);\n"))
case("ecryptfs-write-begin-error", "6.1", "fs/ecryptfs/mmap.c", ["ecryptfs_write_begin"], "pagecache-lookup-lock-balance",
     "eCryptfs: Unlock page in write_begin error path (2011, stable)", "fix reverted",
     buggy=lambda c: sub(c, "\tif (unlikely(rc)) {\n\t\tunlock_page(page);\n\t\tput_page(page);\n\t\t*pagep = NULL;\n\t}\n", ""))
case("ext4-bio-write-folio-nothing-to-submit", "6.12", "fs/ext4/page-io.c", ["ext4_bio_write_folio"], "writepage-clean-page-dropped",
     "ext4: a folio with nothing to submit must still cycle through writeback (issue 8)", "fix reverted",
     buggy=lambda c: sub(c, "\t\t__folio_start_writeback(folio, keep_towrite);\n\t\tfolio_end_writeback(folio);\n\t\treturn 0;", "\t\treturn 0;"))
case("nilfs2-lookup-dirty-mapping", "6.12", "fs/nilfs2/segment.c", ["nilfs_lookup_dirty_data_buffers"], "",
     "nilfs2: fix general protection fault in nilfs_lookup_dirty_data_buffers() (linux-nilfs list, 2023)", "fix reverted",
     buggy=lambda c: sub(c, "\t\tif (unlikely(folio->mapping != mapping)) {\n\t\t\t/* Exclude folios removed from the address space */\n\t\t\tfolio_unlock(folio);\n\t\t\tcontinue;\n\t\t}\n", ""))

# --- more bugs in the shipped trees ------------------------------------------
case("orangefs-write-begin-launder-error", "6.12", "fs/orangefs/inode.c", ["orangefs_write_begin"], "pagecache-lookup-lock-balance",
     "in tree: Linux 6.12 fs/orangefs/inode.c (a failed launder returns an error with the folio locked and *foliop set: generic_perform_write() does not release it)", "in-tree",
     fixed=lambda c: c.replace("\t\tret = orangefs_launder_folio(folio);\n\t\tif (ret)\n\t\t\treturn ret;",
                               "\t\tret = orangefs_launder_folio(folio);\n\t\tif (ret) {\n\t\t\tfolio_unlock(folio);\n\t\t\tfolio_put(folio);\n\t\t\treturn ret;\n\t\t}").replace(
                               "\t\t\tret = orangefs_launder_folio(folio);\n\t\t\tif (ret)\n\t\t\t\treturn ret;",
                               "\t\t\tret = orangefs_launder_folio(folio);\n\t\t\tif (ret) {\n\t\t\t\tfolio_unlock(folio);\n\t\t\t\tfolio_put(folio);\n\t\t\t\treturn ret;\n\t\t\t}"))

# --- more fixes from history --------------------------------------------------
case("write-cache-pages-activate-propagated", "6.1", "mm/page-writeback.c", ["write_cache_pages"], "writepage-activate-not-propagated",
     "e4230030 writeback: don't propagate AOP_WRITEPAGE_ACTIVATE (2.6.24; the msync(2) bug of the reference review), reverted in its 6.1 form", "fix reverted",
     buggy=lambda c: sub(c, "\t\t\t\t\tunlock_page(page);\n\t\t\t\t\terror = 0;\n", "\t\t\t\t\tunlock_page(page);\n"))
case("nfs-writepage-activate-origin", "6.12", "fs/nfs/write.c", ["nfs_folio_set_writeback", "nfs_page_async_flush", "nfs_do_writepage", "nfs_writepages_callback"],
     "writepage-activate-origin-restricted",
     "66beed5acaf2 nfs: don't return AOP_WRITEPAGE_ACTIVATE from nfs_do_writepage (v6.17): the 6.12 code is the bug; the fix as its message describes it", "in-tree",
     fixed=lambda c: sub(sub(c, "\t\tif (wbc->sync_mode == WB_SYNC_NONE)\n\t\t\tret = AOP_WRITEPAGE_ACTIVATE;\n", ""),
                         "\tif (ret != AOP_WRITEPAGE_ACTIVATE)\n\t\tfolio_unlock(folio);", "\tfolio_unlock(folio);"))
case("nilfs2-page-mkwrite-wait-writeback", "6.12", "fs/nilfs2/file.c", ["nilfs_page_mkwrite"], "",
     "nilfs2: fix hang in nilfs_lookup_dirty_data_buffers() (linux-nilfs list, 2024): wait for writeback, not only for stable pages", "fix reverted",
     buggy=lambda c: sub(c, "\tfolio_wait_writeback(folio);", "\tfolio_wait_stable(folio);"))
case("nilfs2-prepare-write-wait-writeback", "6.12", "fs/nilfs2/segment.c", ["nilfs_prepare_write_logs"], "writeback-start-without-wait",
     "nilfs2: fix potential kernel bug due to lack of writeback flag waiting (linux-nilfs list, 2024)", "fix reverted",
     buggy=lambda c: c.replace("\t\t\t\tfolio_wait_writeback(bd_folio);\n", "").replace("\t\t\tfolio_wait_writeback(bd_folio);\n", "").replace("\t\tfolio_wait_writeback(bd_folio);\n", ""))

# --- the reference review: real code from a real list --------------------------
def unionfs():
    ref = os.path.join(os.path.dirname(OUT), "reference", "mmap-2007-10-28.c")
    src = open(ref).read().split("\n")
    i = next(k for k, l in enumerate(src) if l.startswith("static int unionfs_writepage("))
    j = next(k for k in range(i, len(src)) if src[k] == "}")
    code = "\n".join(src[i:j + 1]) + "\n"
    fixed = sub(code, "\told_gfp_mask = mapping_gfp_mask(mapping);\n\tmapping_set_gfp_mask(mapping, old_gfp_mask & ~(__GFP_IO|__GFP_FS));\n\n\tlower_page = grab_cache_page(mapping, page->index);\n\tmapping_set_gfp_mask(mapping, old_gfp_mask);\n",
                "\tlower_page = find_or_create_page(mapping, page->index, GFP_NOFS);\n")
    fixed = sub(fixed, "\tif (err)\n\t\tunlock_page(lower_page);", "\tif (err == AOP_WRITEPAGE_ACTIVATE)\n\t\tunlock_page(lower_page);")
    fixed = sub(fixed, "\tunlock_page(page);\n\nout:\n\treturn err;", "out:\n\tunlock_page(page);\n\treturn err;")
    fixed = fixed.replace("PAGE_CACHE_SIZE", "PAGE_SIZE").replace("page_cache_release", "put_page")
    CASES.append(("unionfs-writepage-goto-out", "2.6.23", "fs/unionfs/mmap.c", "writepage-unlock-all-paths",
                  "linux-mm, 28 Oct 2007: Erez Zadok's unionfs_writepage as mailed (checks/testdata/reference); fixed as Hugh Dickins' review asks (unlock at out:, unlock the lower page only on ACTIVATE, find_or_create_page(GFP_NOFS))",
                  "list mail", code, fixed))
unionfs()

def write():
    os.makedirs(OUT, exist_ok=True)
    rows = ["# name\tversion\tfile\trule (empty: no rule covers it)\tkind\torigin"]
    for name, version, path, rule, origin, how, b, f in CASES:
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        where = "Debian linux-source-%s, %s" % (version, path) if how != "list mail" else "a mail to linux-mm (out-of-tree unionfs)"
        head = "/* path: %s kernel-version: %s\n * Extracted from %s. GPL-2.0.\n * %s\n */\n" % (path, version, where, origin)
        open(os.path.join(d, "buggy.c"), "w").write(head + b)
        open(os.path.join(d, "fixed.c"), "w").write(head + f)
        rows.append("\t".join([name, version, path, rule, how, origin]))
    open(os.path.join(OUT, "cases.tsv"), "w").write("\n".join(rows) + "\n")

write()
