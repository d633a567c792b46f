#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Flash benchmark: a 1 GiB mostly-empty disk image (DATA_MIB of data in
# RANGES ranges), its bmap written by our code, then our flash vs
# `bmaptool copy` vs `dd conv=sparse`, each onto a fresh file. Prints the
# times and checks that all three targets equal the image.
#
# Usage: Benchmarks/flash.sh [DATA_MIB] [RANGES]      (defaults: 48 24)
# Needs: swift, bmap-tools, coreutils. Work files go to $TMPDIR (or /tmp).
set -eu

DATA_MIB=${1:-48}
RANGES=${2:-24}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/driverdom-flash-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "== building driverdom-flash-bench (release)"
swift build -c release --package-path "$ROOT" --product driverdom-flash-bench >/dev/null
BENCH=$(swift build -c release --package-path "$ROOT" --show-bin-path)/driverdom-flash-bench

IMAGE=$WORK/disk.img
BMAP=$WORK/disk.bmap
"$BENCH" make-image "$IMAGE" 1024 "$DATA_MIB" "$RANGES"
"$BENCH" bmap "$IMAGE" "$BMAP"
echo "image: $(du -h --apparent-size "$IMAGE" | cut -f1) apparent, $(du -h "$IMAGE" | cut -f1) allocated"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# Warm the page cache with the image so every tool starts from the same state.
cat "$IMAGE" > /dev/null

t0=$(now); "$BENCH" flash "$IMAGE" "$BMAP" "$WORK/ours.img"; t1=$(now)
ours=$(elapsed "$t0" "$t1")
t0=$(now); "$BENCH" flash "$IMAGE" "$BMAP" "$WORK/ours-noverify.img" --no-verify; t1=$(now)
ours_noverify=$(elapsed "$t0" "$t1")

bmaptool_time=n/a
if command -v bmaptool >/dev/null 2>&1; then
    t0=$(now); bmaptool -q copy --bmap "$BMAP" "$IMAGE" "$WORK/bmaptool.img"; t1=$(now)
    bmaptool_time=$(elapsed "$t0" "$t1")
    cmp "$IMAGE" "$WORK/bmaptool.img"
fi

t0=$(now); dd if="$IMAGE" of="$WORK/dd.img" bs=4M conv=sparse status=none; sync "$WORK/dd.img"; t1=$(now)
dd_time=$(elapsed "$t0" "$t1")

cmp "$IMAGE" "$WORK/ours.img"
cmp "$IMAGE" "$WORK/ours-noverify.img"
cmp "$IMAGE" "$WORK/dd.img"

echo
echo "1 GiB image, $DATA_MIB MiB of data in $RANGES ranges, onto files (seconds, wall clock):"
printf '  %-44s %s\n' "driverdom flash (check + write + read-back)" "$ours"
printf '  %-44s %s\n' "driverdom flash --no-verify (check + write)" "$ours_noverify"
printf '  %-44s %s\n' "bmaptool copy (verifies while copying)" "$bmaptool_time"
printf '  %-44s %s\n' "dd bs=4M conv=sparse + sync" "$dd_time"
echo "all targets are byte-identical to the image"
