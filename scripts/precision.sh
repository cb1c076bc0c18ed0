#!/bin/sh
# precision.sh: run 'patchreview check' over the real writepage code of
# Debian's linux-source-6.1 and linux-source-6.12 and print a Markdown table of
# findings per rule and severity, and every error finding (the target is none).
#
# Files checked, under fs/ and mm/: every .c file that registers a .writepage;
# for 6.12, where few are left, also every file with a write_cache_pages()
# callback or a writeback_iter() loop. Each file is checked as a new-file diff
# (git diff --no-index /dev/null FILE), so every line counts as added.
#
# With ALL=1, every .c file under fs/ and mm/ is checked (about 1,500 per
# kernel, two minutes): the whole-tree run of the README.
#
#   scripts/precision.sh > /tmp/precision.md
#   ALL=1 scripts/precision.sh > /tmp/precision-all.md
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
kernels=$("$root/scripts/kernel-trees.sh")
work=$(mktemp -d "${TMPDIR:-/tmp}/precision.XXXXXX")
trap 'rm -rf "$work"' EXIT

(cd "$root" && go build -o "$work/patchreview" ./cmd/patchreview)

args=""
for v in 6.1 6.12; do
	tree=$kernels/$v
	list=$work/$v.files
	(cd "$tree" && grep -rlE '\.writepage[[:space:]]*=' --include='*.c' fs mm) >"$list.wp" || true
	if [ -n "${ALL:-}" ]; then
		(cd "$tree" && find fs mm -name '*.c') >"$list.wp"
	elif [ "$v" = 6.12 ]; then
		(cd "$tree" && grep -rlE 'write_cache_pages\(|writeback_iter\(' --include='*.c' fs mm) >>"$list.wp" || true
	fi
	sort -u "$list.wp" >"$list"
	mkdir -p "$work/$v"
	n=0
	while read -r f; do
		n=$((n + 1))
		(cd "$tree" && git diff --no-index /dev/null "$f") >"$work/$v/$n.patch" || true
	done <"$list"
	echo "precision: Linux $v: $n files" >&2
	rc=0
	"$work/patchreview" check --format json --kernel-version "$v" "$work/$v"/*.patch >"$work/$v.json" || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "precision: patchreview check failed on Linux $v (exit $rc)" >&2
		exit 1
	fi
	args="$args $v=$work/$v.json:$n"
done
(cd "$root" && go run ./bench/precision $args)
