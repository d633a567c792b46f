#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# A friendly guest's kbdif event and sndif request latency (p50/p99) while
# another guest floods the same backend from a second thread, next to the
# same latencies without the flood (the anchor, same run), and the ratio.
# Goal: p99 under the flood below 5 ms.
# Usage: Benchmarks/flood.sh [samples]
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product flood-bench >/dev/null
exec "$(swift build -c release --show-bin-path)/flood-bench" "$@"
