#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Builds sndif-bench and prints the simulated-path throughput (frames/s)
# against memcpy of the same bytes, the request round trip (µs) and the cost
# of the round trip's system calls alone. Two builds of the same sources:
#   host      SwiftPM release build for the host (normal Swift: generic code
#             of one module called from another runs unspecialised);
#   embedded  the device modules compiled the way the image builds the
#             backend (Embedded Swift, whole-module, -O, every generic
#             specialised), for the host CPU, linked as
#             Tests/SndIfTests/embedded-check.sh links sndif-backend.
# Usage: Benchmarks/sndif.sh [MiB per measurement]
# SNDIF_BENCH=host or SNDIF_BENCH=embedded runs only that build.
set -eu
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
WHICH="${SNDIF_BENCH:-both}"

if [ "$WHICH" != embedded ]; then
    swift build -c release --product sndif-bench >/dev/null
    echo "== host build (swift build -c release)"
    "$(swift build -c release --show-bin-path)/sndif-bench" "$@"
fi
[ "$WHICH" != host ] || exit 0

OUT="$ROOT/.build/sndif-bench-embedded"
SWIFTC="${SWIFTC:-swiftc}"
EMBEDDED_LIB="$(dirname "$(dirname "$(command -v "$SWIFTC")")")/lib/swift/embedded"
INCLUDES="-I $ROOT/Sources/CLinux/include -I $ROOT/Sources/CXen/include"
if [ ! -d "$EMBEDDED_LIB/x86_64-unknown-linux-gnu" ]; then
    echo "== no Embedded Swift library for x86_64 under $EMBEDDED_LIB: embedded build skipped"
    exit 0
fi
MODULES="XenCore XenSimulator SndIf SndIfSimulation"
SOURCES="Sources/CLinux Sources/CXen Benchmarks/sndif-bench"
for module in $MODULES; do SOURCES="$SOURCES Sources/$module"; done
# shellcheck disable=SC2086
if [ ! -x "$OUT/sndif-bench" ] || [ -n "$(find $SOURCES -newer "$OUT/sndif-bench" -print | head -n 1)" ]; then
    echo "== building the embedded sndif-bench (about a minute)"
    mkdir -p "$OUT"
    for module in $MODULES; do
        # shellcheck disable=SC2086
        "$SWIFTC" -package-name driverdom -target x86_64-unknown-linux-gnu -enable-experimental-feature Embedded -wmo -parse-as-library -O \
            -module-name "$module" -emit-module -emit-module-path "$OUT/$module.swiftmodule" \
            -c -o "$OUT/$module.o" $INCLUDES -I "$OUT" "$ROOT"/Sources/"$module"/*.swift
    done
    # shellcheck disable=SC2086
    "$SWIFTC" -package-name driverdom -target x86_64-unknown-linux-gnu -enable-experimental-feature Embedded -wmo -O \
        -module-name sndif_bench -c -o "$OUT/sndif-bench.o" $INCLUDES -I "$OUT" "$ROOT"/Benchmarks/sndif-bench/*.swift
    # shellcheck disable=SC2086
    clang -O2 -c -o "$OUT/cxen_args.o" $INCLUDES "$ROOT/Sources/CXen/cxen_args.c"
    # shellcheck disable=SC2086
    clang -O2 -c -o "$OUT/clinux_shim.o" $INCLUDES "$ROOT/Sources/CLinux/shim.c"
    objects=""
    for module in $MODULES; do objects="$objects $OUT/$module.o"; done
    # shellcheck disable=SC2086
    clang -o "$OUT/sndif-bench" "$OUT/sndif-bench.o" $objects "$OUT/cxen_args.o" "$OUT/clinux_shim.o" \
        -L "$EMBEDDED_LIB/x86_64-unknown-linux-gnu" -lswiftUnicodeDataTables -lm
fi
echo "== embedded build (as the image builds the backend)"
"$OUT/sndif-bench" "$@"
