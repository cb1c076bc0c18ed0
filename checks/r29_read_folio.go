package checks

import "fmt"

var ruleR29 = &Rule{
	ID: "read-folio-unlock-contract", Number: "R29", Severity: Error,
	Title: "A ->read_folio (->readpage) must unlock the folio on every path, or start a read whose completion unlocks it",
	run:   runR29,
}

// readTransferCalls start a read of a locked folio whose completion
// unlocks it (or unlock it themselves on failure).
var readTransferCalls = map[string]bool{"block_read_full_folio": true, "block_read_full_page": true,
	"mpage_read_folio": true, "mpage_readpage": true, "iomap_read_folio": true, "iomap_readpage": true,
	"netfs_read_folio": true, "netfs_readpage": true, "filemap_read_folio": true, "simple_read_folio": true,
	"fscache_read": true, "nfs_read_folio": true, "cifs_read_folio": true}

// runR29 reports paths of a ->read_folio that return with the folio locked
// and no read in flight.
func runR29(p *pass) {
	p.eachObs(obReadExitLocked, func(fi *fnInfo, o obs) {
		msg := fmt.Sprintf("%s returns with %s still locked and no read in flight on this path; ->read_folio is called with the folio locked and must unlock it on every path, error paths included (Documentation/filesystems/locking.rst: \"unlocks\"): call %s before returning",
			fi.f.name, fi.varName(o.v), p.unlockAdvice(fi, o.v))
		p.report(fi, o.line, Error, o.touched, msg+p.resting(o))
	})
}
