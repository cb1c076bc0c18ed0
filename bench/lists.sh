#!/bin/sh
# Measure threading, anchoring, am-ready mboxes and trailer parity with b4
# on the linux-nilfs archive (../shared/corpora/lists/), printing the table
# that README.md's "Real list traffic" section shows. Needs git, xz and b4
# (Debian's b4 package); about two minutes on two cores.
set -e
cd "$(dirname "$0")/.."
PATCHREVIEW_B4=1 PATCHREVIEW_LISTS_REPORT=1 go test ./bench/lists/ -run TestNilfsArchive -count=1 -v -timeout 20m "$@"
