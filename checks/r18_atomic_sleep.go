package checks

import "strings"

var ruleR18 = &Rule{
	ID: "kmap-atomic-no-sleep", Number: "R18", Severity: Error,
	Title: "No sleeping between kmap_atomic() and kunmap_atomic() (or inside pagefault_disable/preempt_disable regions)",
	run:   runR18,
}

// sleepCalls may sleep.
var sleepCalls = map[string]bool{"lock_page": true, "folio_lock": true, "msleep": true, "cond_resched": true,
	"schedule": true, "vmalloc": true, "vzalloc": true, "grab_cache_page": true, "find_or_create_page": true,
	"->writepage": true, "->read_folio": true, "->readpage": true, "vfs_write": true, "kernel_write": true,
	"vfs_read": true, "kernel_read": true, "submit_bio_wait": true, "crypto_wait_req": true, "down": true,
	"down_read": true, "down_write": true, "mutex_lock": true, "mutex_lock_interruptible": true}

// userCopies return short copies instead of sleeping with faults disabled.
var userCopies = map[string]bool{"copy_from_user": true, "copy_to_user": true, "get_user": true, "put_user": true}

// runR18 scans each function's visible code in line order for sleeping calls inside an
// atomic kmap or a pagefault/preempt-disabled region.
func runR18(p *pass) {
	for _, fi := range p.u.funcs {
		live := map[string]bool{}
		for _, m := range rawMappings(fi) {
			if m.fn == "kmap_atomic" || m.fn == "kmap_atomic_prot" {
				live[m.addr] = false
			}
		}
		disabled := 0
		atomic := map[string]bool{}
		rawCallsAndGaps(fi, func(c call) {
			switch {
			case c.name == "kmap_atomic" || c.name == "kmap_atomic_prot":
				for a := range live {
					atomic[a] = true
				}
				return
			case c.name == "kunmap_atomic" && len(c.args) > 0:
				for a := range atomic {
					if hasIdent(c.args[0], a) {
						delete(atomic, a)
					}
				}
				return
			case c.name == "pagefault_disable" || c.name == "preempt_disable":
				disabled++
				return
			case c.name == "pagefault_enable" || c.name == "preempt_enable":
				disabled = max(disabled-1, 0)
				return
			}
			if len(atomic) == 0 && disabled == 0 || !p.u.changed(c.line) {
				return
			}
			switch {
			case userCopies[c.name]:
				p.report(fi, c.line, Warning, true, c.name+"() with page faults disabled does not sleep but returns a short copy: copy outside the atomic section or use kmap_local_page()")
			case sleepCalls[c.name] || strings.HasPrefix(c.name, "mutex_lock") || strings.HasPrefix(c.name, "wait_on_page") ||
				strings.HasPrefix(c.name, "folio_wait") || strings.HasPrefix(c.name, "wait_for_completion") ||
				allocCalls[c.name] && !anyArgIdentPrefix(c.args, "GFP_ATOMIC", "GFP_NOWAIT"):
				p.report(fi, c.line, Error, true, c.name+"() may sleep inside an atomic kmap/pagefault-disabled section: move it before the mapping"+localAdvice(p.u.era))
			}
		}, func() {
			// Unseen code may have unmapped or re-enabled faults.
			clear(atomic)
			disabled = 0
		})
	}
}

// localAdvice suggests kmap_local_page where it exists.
func localAdvice(e era) string {
	if e.atLeast(v511) || !e.known() {
		return ", or use kmap_local_page(), in which sleeping is allowed"
	}
	return ""
}
