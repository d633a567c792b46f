#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Builds usbif-bench (host, release) and prints the bulk IN throughput through
# the simulated usbif path next to memcpy of the same bytes (the ratio).
# Usage: Benchmarks/usbif.sh [MiB per measurement]
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product usbif-bench >/dev/null
"$(swift build -c release --show-bin-path)/usbif-bench" "$@"
