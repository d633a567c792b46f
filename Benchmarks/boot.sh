#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Boot benchmark: runs `driverdom test` on an image under QEMU and prints the
# time from QEMU's start to "all DomD backends ready" and the total test time.
#
#   Benchmarks/boot.sh [IMAGE] [RUNS]      (default Images/qemu-virt-arm64.yaml, 1 run)
#
# Needs qemu-system-aarch64 (Debian: qemu-system-arm) and a built or buildable
# image (the Debian mirror or a warm cache). DRIVERDOM=path/to/driverdom picks
# the binary (default: .build/release/driverdom, else .build/debug/driverdom).
set -eu
cd "$(dirname "$0")/.."
image=${1:-Images/qemu-virt-arm64.yaml}
runs=${2:-1}
. Benchmarks/qemu-common.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run=1
status=0
while [ "$run" -le "$runs" ]; do
    if "$DRIVERDOM" test "$image" --quiet >"$log" 2>&1; then result=PASS; else result=FAIL; status=1; fi
    ready=$(sed -n 's/.*all DomD backends ready: \([0-9.]*\) s.*/\1/p' "$log" | head -n 1)
    total=$(sed -n 's/.*test took \([0-9.]*\) s.*/\1/p' "$log" | head -n 1)
    qemu=$(sed -n 's/.*QEMU ran \([0-9.]*\) s.*/\1/p' "$log" | head -n 1)
    echo "run $run: QEMU start -> all DomD backends ready: ${ready:-never} s; QEMU ran ${qemu:-?} s; test total ${total:-?} s; $result"
    if [ "$result" = FAIL ]; then tail -n 15 "$log" | sed 's/^/  | /'; fi
    run=$((run + 1))
done
exit "$status"
