#!/bin/sh
# kernel-trees.sh: make fs/, mm/ (and scripts/checkpatch.pl) of Debian's
# linux-source-6.1 and linux-source-6.12 available, extracted once into a cache
# directory, and print that directory. Installs the packages if the tarballs
# are missing.
#
#   KERNELS=$(scripts/kernel-trees.sh)   # $KERNELS/6.1/fs, $KERNELS/6.12/mm, ...
set -eu

cache=${PATCHREVIEW_KERNELS:-${TMPDIR:-/tmp}/patchreview-kernels}
versions=${KERNEL_VERSIONS:-"6.1 6.12"}
mkdir -p "$cache"

for v in $versions; do
	tarball=/usr/src/linux-source-$v.tar.xz
	if [ ! -f "$tarball" ]; then
		echo "kernel-trees: $tarball missing, installing linux-source-$v" >&2
		if [ "$(id -u)" -eq 0 ]; then
			apt-get install -y "linux-source-$v" >&2
		else
			sudo apt-get install -y "linux-source-$v" >&2
		fi
	fi
	dest=$cache/$v
	if [ -f "$dest/.done" ]; then
		continue
	fi
	echo "kernel-trees: extracting fs/ mm/ scripts/checkpatch.pl of $tarball" >&2
	rm -rf "$dest" && mkdir -p "$dest"
	tar -xJf "$tarball" -C "$dest" --strip-components=1 --wildcards \
		"linux-source-$v/fs/*" "linux-source-$v/mm/*" \
		"linux-source-$v/scripts/checkpatch.pl" \
		"linux-source-$v/scripts/spelling.txt" \
		"linux-source-$v/scripts/const_structs.checkpatch"
	touch "$dest/.done"
done
echo "$cache"
