#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Builds kbdif-bench in release mode and prints events/s and ns/event.
# Usage: Benchmarks/kbdif.sh [events]
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product kbdif-bench >/dev/null
exec "$(swift build -c release --show-bin-path)/kbdif-bench" "$@"
