#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Builds displif-bench in release mode and prints the frames/s of the simulated
# PG_FLIP copy path (1024x768 XRGB8888) against memcpy of the same frame.
# Usage: Benchmarks/displif.sh [frames per measurement]
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product displif-bench >/dev/null
exec "$(swift build -c release --show-bin-path)/displif-bench" "$@"
