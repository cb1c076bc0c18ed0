#!/bin/bash
# faces.sh: time the b4, git-pw and feed URLs on the whole linux-nilfs
# archive (../shared/corpora/lists/linux-nilfs.mbox.xz, 3,933 messages),
# against two pages of the service itself measured in the same run as the
# baseline: the JSON series list (/api/v1/series) and a series' mbox with
# collected trailers (/series/{id}/mbox?trailers=1). Each URL is fetched
# RUNS times (default 7) by curl, round-robin so that load from other
# processes hits all alike; the table gives the median and its ratio to
# the baseline of the same kind.
#
#   bench/faces.sh
#   RUNS=15 bench/faces.sh
set -euo pipefail

RUNS=${RUNS:-7}
root=$(cd "$(dirname "$0")/.." && pwd)
archive=${ARCHIVE:-$root/../shared/corpora/lists/linux-nilfs.mbox.xz}
if [ ! -f "$archive" ]; then
	echo "faces.sh: $archive is missing (see /work/shared/corpora/lists/README.md)" >&2
	exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/faces.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

(cd "$root" && go build -o "$work/patchreview" ./cmd/patchreview)
xz -dc "$archive" | "$work/patchreview" ingest -q --db "$work/db" -
port=$((20000 + RANDOM % 20000))
base=http://127.0.0.1:$port
"$work/patchreview" serve --db "$work/db" --addr 127.0.0.1:$port 2>"$work/serve.log" &
pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "$base/api/v1/status" && break; sleep 0.1; done

# The biggest thread by series size: its cover's Message-ID and series id.
series=$(curl -sf "$base/api/1.2/series/?per_page=250" | python3 -c '
import json, sys
s = max(json.load(sys.stdin), key=lambda s: (len(s["patches"]), s["id"]))
print(s["id"], s["cover_letter"]["msgid"].strip("<>") if s["cover_letter"] else s["patches"][0]["msgid"].strip("<>"))')
sid=${series%% *}
mid=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="@"))' "${series#* }")

urls=(
	"list|/api/v1/series?limit=30|baseline: JSON series list"
	"list|/api/1.2/series/?project=linux-nilfs|git-pw series list"
	"list|/api/1.2/patches/?project=linux-nilfs&state=new&state=under-review|git-pw patch list"
	"list|/linux-nilfs/series.atom|series feed"
	"list|/linux-nilfs/new.atom|public-inbox new.atom"
	"mbox|/series/$sid/mbox?trailers=1|baseline: series mbox with collected trailers"
	"mbox|/all/$mid/t.mbox.gz|b4: t.mbox.gz"
	"mbox|/api/1.2/series/$sid/mbox/|git-pw series apply mbox"
	"mbox|/series/$sid/feed.atom|series activity feed"
)
for u in "${urls[@]}"; do : >"$work/t.$(echo "$u" | md5sum | cut -c1-8)"; done
for _ in $(seq "$RUNS"); do
	for u in "${urls[@]}"; do
		IFS='|' read -r _ path _ <<<"$u"
		curl -sf -o /dev/null -w '%{time_total}\n' "$base$path" >>"$work/t.$(echo "$u" | md5sum | cut -c1-8)"
	done
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A baseline
for u in "${urls[@]}"; do
	IFS='|' read -r kind _ what <<<"$u"
	m=$(median "$work/t.$(echo "$u" | md5sum | cut -c1-8)")
	case $what in baseline*) baseline[$kind]=$m ;; esac
done
echo "Series $sid (the largest), $RUNS runs each, median:"
echo
echo "| URL | what | median | vs baseline |"
echo "|---|---|---|---|"
for u in "${urls[@]}"; do
	IFS='|' read -r kind path what <<<"$u"
	m=$(median "$work/t.$(echo "$u" | md5sum | cut -c1-8)")
	printf '| `%s` | %s | %.0f ms | %.1f× |\n' "${path//|/\\|}" "$what" "$(echo "$m*1000" | bc -l)" "$(echo "$m/${baseline[$kind]}" | bc -l)"
done
