#!/bin/bash
# ingest.sh: archive-scale ingest benchmark on the real nilfs archive
# (../shared/corpora/lists), all figures from one run, as Markdown rows:
#   | what | messages | seconds | msgs/s | notes |
# The physical limit (raw messages into one SQLite table in one transaction)
# is measured in the same run, so ratios compare like with like.
#
#   bench/ingest.sh                 # everything, flat run at 10× (39,330 msgs)
#   REPEAT=2 bench/ingest.sh        # a shorter flatness run
#   MODES="raw mbox" bench/ingest.sh
#   DRAIN_LIMIT=2000 ...            # accept+drain only the first N messages
# Modes: raw (the physical limit), mbox, inbox (the public-inbox epoch),
# drain (webhook accept, then the queue), flat (the archive REPEAT times
# under new Message-IDs, 10 years apart: msgs/s, I/O and RSS per tenth, and
# the trend), patho (pathological mails within the check budget: time and
# peak RSS).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lists=${LISTS:-$root/../shared/corpora/lists}
REPEAT=${REPEAT:-10}
MODES=${MODES:-raw mbox inbox drain flat patho}
DRAIN_LIMIT=${DRAIN_LIMIT:-0}
if [ ! -r "$lists/linux-nilfs.mbox.xz" ]; then
	echo "ingest.sh: $lists/linux-nilfs.mbox.xz not found (set LISTS)" >&2
	exit 2
fi
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/ingestbench.XXXXXX")}
[ -n "${WORK:-}" ] || trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/bench" ./bench/ingest)
[ -s "$work/nilfs.mbox" ] || xz -dc "$lists/linux-nilfs.mbox.xz" >"$work/nilfs.mbox"
[ -d "$work/nilfs.git" ] || git clone -q --mirror "$lists/linux-nilfs.bundle" "$work/nilfs.git"
echo "| what | messages | time | msgs/s | notes |"
echo "|---|---|---|---|---|"
for m in $MODES; do
	case $m in
	raw) "$work/bench" -mode raw -mbox "$work/nilfs.mbox" -dir "$work" ;;
	mbox) "$work/bench" -mode mbox -mbox "$work/nilfs.mbox" -dir "$work" ;;
	inbox) "$work/bench" -mode inbox -inbox "$work/nilfs.git" -dir "$work" ;;
	drain) "$work/bench" -mode drain -mbox "$work/nilfs.mbox" -dir "$work" -limit "$DRAIN_LIMIT" ;;
	flat) "$work/bench" -mode flat -mbox "$work/nilfs.mbox" -dir "$work" -repeat "$REPEAT" ;;
	patho) for k in nest hunk big; do "$work/bench" -mode patho -kind "$k" -dir "$work"; done ;;
	esac
done
