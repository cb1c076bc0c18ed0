#!/bin/bash
# speed.sh: time 'patchreview check' against the kernel's own checkpatch.pl on
# the same real diffs, in one run, and print a Markdown table.
#
# The diffs: N (default 200) C files under fs/ and mm/ that changed between
# Debian's linux-source-6.1 and linux-source-6.12, picked evenly from the
# sorted list, each as 'diff -u' between the two trees. checkpatch.pl is the
# one shipped in linux-source-6.12, run as
#   perl scripts/checkpatch.pl --no-tree --no-signoff -q PATCH
# Both tools run once per patch as a fresh process (start-up included, which
# is how an editor or a CI job runs them, interleaved patch by patch so that
# load from other processes hits both alike); patchreview is also timed checking
# all patches in one process.
#
#   bench/speed.sh            # N=200
#   N=50 bench/speed.sh
set -euo pipefail

N=${N:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
kernels=$("$root/scripts/kernel-trees.sh")
old=$kernels/6.1
new=$kernels/6.12
checkpatch=$new/scripts/checkpatch.pl
work=$(mktemp -d "${TMPDIR:-/tmp}/speed.XXXXXX")
trap 'rm -rf "$work"' EXIT
# KEEP=dir keeps the generated patches there (for go test -bench ./bench).

(cd "$root" && go build -o "$work/patchreview" ./cmd/patchreview)

# Changed C files present in both trees.
(cd "$old" && find fs mm -name '*.c' | sort) >"$work/old.list"
(cd "$new" && find fs mm -name '*.c' | sort) >"$work/new.list"
comm -12 "$work/old.list" "$work/new.list" | while read -r f; do
	cmp -s "$old/$f" "$new/$f" || echo "$f"
done >"$work/changed.list"
total=$(wc -l <"$work/changed.list")
if [ "$total" -lt "$N" ]; then N=$total; fi
awk -v n="$N" -v t="$total" 'BEGIN{srand(1)} { if (int((NR-1)*n/t) != int(NR*n/t)) print }' "$work/changed.list" >"$work/picked.list"

mkdir -p "$work/p"
i=0
while read -r f; do
	i=$((i + 1))
	diff -u --label "a/$f" --label "b/$f" "$old/$f" "$new/$f" >"$work/p/$(printf %04d $i).patch" || true
done <"$work/picked.list"
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$work"/p/*.patch "$KEEP"/; fi
patches=("$work"/p/*.patch)
npatch=${#patches[@]}
lines=$(cat "${patches[@]}" | wc -l)

ns() { date +%s%N; }

# Per-patch runs of the two tools (and of /bin/true, the cost of exec on this
# machine) are interleaved, so that load from other processes hits all alike.
pr_ns=0 cp_ns=0 true_ns=0
for p in "${patches[@]}"; do
	a=$(ns)
	"$work/patchreview" check "$p" >/dev/null 2>&1 || true
	b=$(ns)
	perl "$checkpatch" --no-tree --no-signoff -q "$p" >/dev/null 2>&1 || true
	c=$(ns)
	/bin/true "$p"
	d=$(ns)
	pr_ns=$((pr_ns + b - a)) cp_ns=$((cp_ns + c - b)) true_ns=$((true_ns + d - c))
done
a=$(ns)
"$work/patchreview" check --format json "${patches[@]}" >"$work/batch.json" 2>/dev/null || true
batch_ns=$(($(ns) - a))
# The checks API alone, on the same patches, in the same run.
api_ns=$(cd "$root" && PATCHREVIEW_BENCH_PATCHES="$work/p" go test ./bench -run '^$' -bench '^BenchmarkCheckDiff$' -benchtime "${npatch}x" -count 3 |
	awk '/^BenchmarkCheckDiff/ { if (min == "" || $3 < min) min = $3 } END { print min }')

findings=$(jq '[.patches[].findings[]] | length' "$work/batch.json")
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
awk -v n="$npatch" -v lines="$lines" -v pr="$pr_ns" -v cp="$cp_ns" -v tr="$true_ns" -v batch="$batch_ns" \
	-v cpu="$cpu" -v cores="$(nproc)" -v perl="$(perl -e 'print $^V')" -v go="$(go env GOVERSION)" \
	-v findings="$findings" -v total="$total" -v api="$api_ns" 'BEGIN {
	printf "Linux 6.1 → 6.12, %d of the %d changed C files under fs/ and mm/ (%d diff lines in all); patchreview findings on them: %d.\n", n, total, lines, findings
	printf "Machine: %s, %d cores (shared), %s, perl %s. Wall time, same run, per-patch runs interleaved.\n\n", cpu, cores, go, perl
	printf "| Tool | Total (s) | Per patch (ms) | Ratio to checkpatch.pl |\n|---|---|---|---|\n"
	cpms = cp / n / 1e6
	printf "| checkpatch.pl (6.12), one process per patch | %.1f | %.1f | 1× |\n", cp / 1e9, cpms
	printf "| patchreview check, one process per patch | %.2f | %.2f | %.0f× faster |\n", pr / 1e9, pr / n / 1e6, cp / pr
	printf "| patchreview check, all patches in one process | %.2f | %.2f | %.0f× faster |\n", batch / 1e9, batch / n / 1e6, cp / batch
	printf "| checks.CheckDiff API (go test -bench, best of 3) | %.2f | %.2f | %.0f× faster |\n", api * n / 1e9, api / 1e6, cpms / (api / 1e6)
	printf "| (baseline: exec of /bin/true, one per patch) | %.2f | %.2f | |\n", tr / 1e9, tr / n / 1e6
}'
