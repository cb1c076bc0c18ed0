#!/bin/sh
# mine-contracts.sh: regenerate checks/contracts.tsv, the page/folio contracts
# of fs/ and mm/ in Debian's linux-source-6.1 and linux-source-6.12, mined by
# the checks' own summarizer (checks/minecontracts). One command:
#
#   scripts/mine-contracts.sh
#
# Takes about two minutes per kernel on a 2-core machine.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
kernels=$("$root/scripts/kernel-trees.sh")
args=""
for v in 6.1 6.12; do
	pkg=$(dpkg-query -W -f '${Version}' "linux-source-$v" 2>/dev/null || echo unknown)
	args="$args $v=$kernels/$v:Debian-linux-source-${v}-${pkg}"
done
cd "$root"
# shellcheck disable=SC2086
go run ./checks/minecontracts -out checks/contracts.tsv $args
