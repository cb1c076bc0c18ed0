package checks

import "strings"

// Page-cache API knowledge (rules.md §0.2).

// lockedLookups return a page or folio locked and with a reference, or
// NULL (ERR_PTR for folios from v6.4) on failure.
var lockedLookups = map[string]bool{"grab_cache_page": true, "grab_cache_page_nowait": true,
	"grab_cache_page_write_begin": true, "find_or_create_page": true, "find_lock_page": true,
	"filemap_grab_folio": true, "filemap_lock_folio": true}

// flagLookups lock only when their flags say FGP_LOCK.
var flagLookups = map[string]bool{"pagecache_get_page": true, "__filemap_get_folio": true}

// refLookups return a reference only.
var refLookups = map[string]bool{"find_get_page": true, "find_get_page_flags": true, "filemap_get_folio": true,
	"read_mapping_page": true, "read_cache_page": true, "read_mapping_folio": true, "read_cache_folio": true}

// errPtrLookups always report failure with ERR_PTR.
var errPtrLookups = map[string]bool{"read_mapping_page": true, "read_cache_page": true,
	"read_mapping_folio": true, "read_cache_folio": true}

var unlockCalls = map[string]bool{"unlock_page": true, "folio_unlock": true, "folio_end_read": true}
var lockCalls = map[string]bool{"lock_page": true, "folio_lock": true}
var putCalls = map[string]bool{"put_page": true, "page_cache_release": true, "folio_put": true,
	"folio_put_refs": true, "ext2_put_page": true, "ufs_put_page": true, "put_and_unmap_page": true}
var getCalls = map[string]bool{"get_page": true, "folio_get": true, "page_cache_get": true}

// transferCalls take a locked page and unlock it (rules.md §0.2).
var transferCalls = map[string]bool{"block_write_full_page": true, "__block_write_full_page": true,
	"block_write_full_folio": true, "__block_write_full_folio": true, "mpage_writepage": true,
	"nobh_writepage": true, "write_one_page": true, "folio_write_one": true, "swap_writepage": true,
	"__swap_writepage": true, "iomap_writepage": true, "swap_writeout": true}

// activateCallers may return AOP_WRITEPAGE_ACTIVATE with the page still locked.
var activateCallees = map[string]bool{"->writepage": true, "shmem_writepage": true, "shmem_writeout": true}

var wbStartCalls = map[string]bool{"set_page_writeback": true, "set_page_writeback_keepwrite": true,
	"folio_start_writeback": true, "__folio_start_writeback": true, "folio_start_writeback_keepwrite": true}
var wbEndCalls = map[string]bool{"end_page_writeback": true, "folio_end_writeback": true}

// redirtyCalls map to the index of their page argument.
var redirtyCalls = map[string]int{"redirty_page_for_writepage": 1, "folio_redirty_for_writepage": 1,
	"set_page_dirty": 0, "__set_page_dirty_nobuffers": 0, "folio_mark_dirty": 0, "filemap_dirty_folio": 1,
	"set_page_dirty_lock": 0}

// benignPrefixes and benignCalls never unlock or release a page argument.
var benignPrefixes = []string{"Page", "SetPage", "ClearPage", "TestSetPage", "TestClearPage", "__SetPage",
	"__ClearPage", "folio_test_", "folio_set_", "folio_clear_", "kmap", "kunmap", "memcpy", "memset",
	"memmove", "zero_user", "folio_zero", "flush_dcache", "trace_", "pr_", "WARN", "BUG_ON", "VM_BUG_ON",
	"VM_WARN", "page_offset", "page_file_offset", "page_file_mapping", "folio_pos", "folio_size", "folio_nr_pages", "folio_order", "page_address",
	"folio_address", "wait_on_page", "folio_wait", "copy_highpage", "copy_page", "memcpy_", "inc_", "dec_",
	"page_has_", "folio_buffers", "page_mapping", "folio_mapping", "mapping_set_error", "printk",
	"clear_page_dirty_for_io", "folio_clear_dirty_for_io", "page_index", "folio_index", "page_to_",
	"offset_in_", "folio_mark_accessed", "mark_page_accessed", "count_vm", "node_stat", "lruvec",
	"folio_page_idx", "folio_mapped", "page_mapped", "wait_for_stable_page", "folio_nr", "i_size_read",
	"unlikely", "likely", "IS_ERR", "PTR_ERR", "ERR_PTR", "page_folio", "folio_page", "folio_file_",
	"bh_", "create_empty_buffers", "folio_create_empty_buffers", "attach_page_private", "folio_attach_private",
	"page_zero_new_buffers", "sizeof", "min", "max", "dump_page", "folio_contains", "folio_next_index"}

// isBenign reports whether a call never unlocks or releases its page arguments.
func isBenign(name string) bool {
	for _, p := range benignPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// consumingWords mark unknown callees that may unlock or end writeback of
// the own page (for example ext4_bio_write_page, f2fs helpers).
var consumingWords = []string{"write", "submit", "unlock", "put", "release", "end_", "finish",
	"complete", "_io", "flush", "commit", "queue", "add_to", "read_folio", "readpage", "read_page", "migrate", "split", "free", "delete", "remove", "evict", "truncate", "rmap", "pte", "insert", "install", "map_pages"}

func looksConsuming(name string) bool {
	for _, w := range consumingWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// pageType reports whether a parameter type is a page or folio pointer.
func pageType(t string) bool {
	return strings.Contains(t, "struct page*") || strings.Contains(t, "struct folio*") ||
		strings.Contains(t, "struct page *") || strings.Contains(t, "struct folio *")
}
