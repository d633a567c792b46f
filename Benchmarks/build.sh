#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Benchmarks `driverdom build` on the default image and prints, for each case,
# the wall time and the number of steps that ran (counted from --json events):
#   cold       package cache warm, step cache empty (after `driverdom clean --cache`)
#   no-op      a second build with nothing changed
#   one layer  after touching the layer's backend source (a comment), with --layer LAYER:
#              the binary comes out the same, so the steps after it are cut off
#   code edit  after changing a message the backend prints, with --layer LAYER: the new
#              binary flows through the rootfs, initramfs, control domain and disk
# Goals (issue 3, 2 cores): cold <= 90 s, no-op <= 1 s, one layer <= 15 s.
#
# Usage: Benchmarks/build.sh [IMAGE] [LAYER]   (defaults: Images/qemu-virt-arm64.yaml kbdif)
# The cache is $DRIVERDOM_CACHE (default ~/.cache/driverdom); its step cache is emptied.
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-Images/qemu-virt-arm64.yaml}
layer=${2:-kbdif}
export DRIVERDOM_CACHE=${DRIVERDOM_CACHE:-$HOME/.cache/driverdom}
work=$(mktemp -d)
out="$work/out"

executable=$(sed -n 's/^ *executable: *\([^ #]*\).*/\1/p' "Layers/$layer/layer.yaml")
source_file="Sources/$executable/main.swift"
[ -f "$source_file" ] || { echo "build.sh: no $source_file for layer $layer" >&2; exit 2; }
backup="$work/main.swift.orig"
cp "$source_file" "$backup"
trap 'cp "$backup" "$source_file"; rm -rf "$work"' EXIT

echo "build.sh: building driverdom" >&2
swift build --product driverdom >/dev/null
driverdom="$(swift build --show-bin-path)/driverdom"

# Runs one timed build; prints "<seconds> <steps run> <steps total>".
timed_build() {
    local log="$work/events.json" start end
    start=$(date +%s.%N)
    "$driverdom" build "$image" --json --out "$out" "$@" >"$log"
    end=$(date +%s.%N)
    local ran total
    ran=$(grep '"event":"step-finish"' "$log" | grep -c '"cached":false' || true)
    total=$(grep -c '"event":"step-finish"' "$log" || true)
    awk -v s="$start" -v e="$end" -v r="$ran" -v t="$total" 'BEGIN { printf "%.2f %d %d\n", e - s, r, t }'
}

echo "build.sh: warming the package cache (not timed)" >&2
"$driverdom" build "$image" --quiet --out "$out"
"$driverdom" clean --cache --out "$out" >/dev/null

read -r cold_s cold_run cold_total < <(timed_build)
read -r noop_s noop_run noop_total < <(timed_build)
printf '\n// driverdom benchmark touch %s\n' "$(date +%s%N)" >>"$source_file"
read -r layer_s layer_run layer_total < <(timed_build --layer "$layer")
cp "$backup" "$source_file"
grep -q "\"$executable: " "$source_file" || { echo "build.sh: no \"$executable: \" message in $source_file" >&2; exit 2; }
sed -i "0,/\"$executable: /s//\"$executable (benchmark $(date +%s%N)): /" "$source_file"
read -r edit_s edit_run edit_total < <(timed_build --layer "$layer")

printf '%-34s %9s %11s\n' "case" "seconds" "steps run"
printf '%-34s %9s %7s/%-3s\n' "cold (packages warm, steps empty)" "$cold_s" "$cold_run" "$cold_total"
printf '%-34s %9s %7s/%-3s\n' "no-op rebuild" "$noop_s" "$noop_run" "$noop_total"
printf '%-34s %9s %7s/%-3s\n' "one layer ($layer, --layer)" "$layer_s" "$layer_run" "$layer_total"
printf '%-34s %9s %7s/%-3s\n' "code edit ($layer, --layer)" "$edit_s" "$edit_run" "$edit_total"
