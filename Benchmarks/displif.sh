#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Builds displif-bench in release mode and prints the flips/s and the CPU time
# per frame of the simulated PG_FLIP copy path (1024x768 XRGB8888) against a
# memcpy of the same frame in the same run, with their ratio (goal <= 1.5x).
# The frame rate a real guest reached through xen-drm-front is in the displif
# line of `driverdom test` (displif-flips: "... flips at N frames/s").
# Usage: Benchmarks/displif.sh [frames per measurement]
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product displif-bench >/dev/null
exec "$(swift build -c release --show-bin-path)/displif-bench" "$@"
