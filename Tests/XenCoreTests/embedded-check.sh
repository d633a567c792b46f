#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Compiles the device modules in Embedded Swift mode for the host
# (x86_64-unknown-linux-gnu), in dependency order, then links and runs the
# xencore-selftest built that way. Exits non-zero on the first failure.
#
# Usage: Tests/XenCoreTests/embedded-check.sh [output-dir]
# With SYSROOT=<aarch64 Debian sysroot> it also compiles the modules for
# aarch64-none-none-elf against that sysroot (compile only).
set -eu
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
SWIFTC="${SWIFTC:-swiftc}"
EMBEDDED_LIB="$(dirname "$(dirname "$(command -v "$SWIFTC")")")/lib/swift/embedded"

compile() { # triple outdir module [extra flags...]
    triple="$1"; dir="$2"; module="$3"; shift 3
    mkdir -p "$dir"
    "$SWIFTC" -target "$triple" -enable-experimental-feature Embedded -wmo -parse-as-library -Osize \
        -module-name "$module" -emit-module -emit-module-path "$dir/$module.swiftmodule" \
        -c -o "$dir/$module.o" \
        -I "$ROOT/Sources/CLinux/include" -I "$ROOT/Sources/CXen/include" -I "$dir" "$@" \
        "$ROOT"/Sources/"$module"/*.swift
    echo "embedded-check: $module ($triple) ok"
}

MODULES="XenCore XenSimulator KbdIf KbdIfSimulation EvdevInput XenLinux"
HOST="$OUT/x86_64"
for module in $MODULES; do compile x86_64-unknown-linux-gnu "$HOST" "$module"; done

"$SWIFTC" -target x86_64-unknown-linux-gnu -enable-experimental-feature Embedded -wmo -Osize \
    -module-name xencore_selftest -c -o "$HOST/selftest.o" \
    -I "$ROOT/Sources/CLinux/include" -I "$HOST" "$ROOT/Sources/xencore-selftest/main.swift"
clang -o "$HOST/xencore-selftest" "$HOST/selftest.o" "$HOST/XenCore.o" "$HOST/XenSimulator.o" \
    "$HOST/KbdIf.o" "$HOST/KbdIfSimulation.o" \
    -L "$EMBEDDED_LIB/x86_64-unknown-linux-gnu" -lswiftUnicodeDataTables -lm
echo "embedded-check: linked $HOST/xencore-selftest"
"$HOST/xencore-selftest"

if [ -n "${SYSROOT:-}" ]; then
    ARM="$OUT/aarch64"
    for module in $MODULES; do
        compile aarch64-none-none-elf "$ARM" "$module" -Xcc --sysroot="$SYSROOT" \
            -Xcc -isystem -Xcc "$SYSROOT/usr/include" -Xcc -isystem -Xcc "$SYSROOT/usr/include/aarch64-linux-gnu" \
            -Xcc -D__linux__ -Xcc -D__unix__
    done
fi
echo "embedded-check: PASS"
