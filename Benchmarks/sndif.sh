#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Builds sndif-bench in release mode and prints the simulated-path throughput
# (frames/s) against memcpy of the same bytes, and the request round trip (µs).
# Usage: Benchmarks/sndif.sh [MiB per measurement]
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product sndif-bench >/dev/null
exec "$(swift build -c release --show-bin-path)/sndif-bench" "$@"
