#!/bin/bash
# pages.sh: page latency with wrk on a database holding the whole nilfs
# archive (../shared/corpora/lists), each URL as a ratio to a static asset
# served by the same server in the same run. Prints a Markdown table:
#   | URL | req/s | p50 | p99 | × static (by req/s) |
#
#   bench/pages.sh                   # 10 s per URL, 8 connections, 2 threads
#   DURATION=5s CONNS=4 bench/pages.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lists=${LISTS:-$root/../shared/corpora/lists}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-8}
if [ ! -r "$lists/linux-nilfs.mbox.xz" ]; then
	echo "pages.sh: $lists/linux-nilfs.mbox.xz not found (set LISTS)" >&2
	exit 2
fi
command -v wrk >/dev/null || { echo "pages.sh: wrk not installed" >&2; exit 2; }
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/pagesbench.XXXXXX")}
pid=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	[ -n "${WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
(cd "$root" && go build -o "$work/patchreview" ./cmd/patchreview)
db=$work/pages.db
if [ ! -s "$db" ]; then
	xz -dc "$lists/linux-nilfs.mbox.xz" | "$work/patchreview" ingest -q --db "$db" -
fi
port=$((20000 + RANDOM % 20000))
"$work/patchreview" serve --addr "127.0.0.1:$port" --db "$db" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 50); do
	curl -fs -o /dev/null "http://127.0.0.1:$port/static/style.css" && break
	sleep 0.1
done
q() { sqlite3 "$db" "$1"; }
big_series=$(q "SELECT series_id FROM patches GROUP BY series_id ORDER BY count(*) DESC, series_id LIMIT 1")
big_series_n=$(q "SELECT count(*) FROM patches WHERE series_id = $big_series")
big_patch=$(q "SELECT id FROM patches ORDER BY length(diff) DESC LIMIT 1")
big_patch_kb=$(q "SELECT length(diff)/1024 FROM patches WHERE id = $big_patch")
base=http://127.0.0.1:$port
urls=(
	"/static/style.css|a static asset"
	"/|series list"
	"/?q=writepage|search: writepage"
	"/?q=dfn:fs/nilfs2/segment.c|search: dfn:fs/nilfs2/segment.c"
	"/api/v1/series?q=s:nilfs2|API search s:nilfs2"
	"/series/$big_series|largest series ($big_series_n patches)"
	"/patches/$big_patch|largest patch (${big_patch_kb} KB diff)"
	"/api/v1/status|/api/v1/status"
)
echo "| URL | what | req/s | p50 | p99 | × static |"
echo "|---|---|---|---|---|---|"
static_rps=
for u in "${urls[@]}"; do
	path=${u%%|*}
	what=${u#*|}
	out=$(wrk -t"$(( CONNS < 2 ? CONNS : 2 ))" -c"$CONNS" -d"$DURATION" --latency "$base$path")
	rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
	p50=$(awk '$1=="50%" {print $2}' <<<"$out")
	p99=$(awk '$1=="99%" {print $2}' <<<"$out")
	[ -n "$static_rps" ] || static_rps=$rps
	ratio=$(awk -v s="$static_rps" -v r="$rps" 'BEGIN { if (r > 0) printf "%.1f", s / r; else print "-" }')
	echo "| \`$path\` | $what | $rps | $p50 | $p99 | $ratio |"
done
