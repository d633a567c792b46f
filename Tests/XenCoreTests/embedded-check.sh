#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Compiles the device modules in Embedded Swift mode for the host
# (x86_64-unknown-linux-gnu), in dependency order, then links and runs the
# xencore-selftest built that way. Exits non-zero on the first failure.
#
# Usage: Tests/XenCoreTests/embedded-check.sh [output-dir]
# With SYSROOT=<aarch64 Debian sysroot> (libc6-dev, linux-libc-dev, libxen-dev and
# its libraries, libgcc-12-dev) it also builds the modules, xencore-selftest and
# kbdif-backend for aarch64-none-none-elf, links them against that sysroot and
# runs the self-test under qemu-aarch64-static when it is installed.
set -eu
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
SWIFTC="${SWIFTC:-swiftc}"
EMBEDDED_LIB="$(dirname "$(dirname "$(command -v "$SWIFTC")")")/lib/swift/embedded"

compile() { # triple outdir module [extra flags...]
    triple="$1"; dir="$2"; module="$3"; shift 3
    mkdir -p "$dir"
    "$SWIFTC" -package-name driverdom -target "$triple" -enable-experimental-feature Embedded -wmo -parse-as-library -Osize \
        -module-name "$module" -emit-module -emit-module-path "$dir/$module.swiftmodule" \
        -c -o "$dir/$module.o" \
        -I "$ROOT/Sources/CLinux/include" -I "$ROOT/Sources/CXen/include" -I "$dir" "$@" \
        "$ROOT"/Sources/"$module"/*.swift
    echo "embedded-check: $module ($triple) ok"
}

MODULES="XenCore XenSimulator KbdIf KbdIfSimulation EvdevInput XenLinux"
HOST="$OUT/x86_64"
for module in $MODULES; do compile x86_64-unknown-linux-gnu "$HOST" "$module"; done

"$SWIFTC" -package-name driverdom -target x86_64-unknown-linux-gnu -enable-experimental-feature Embedded -wmo -Osize \
    -module-name xencore_selftest -c -o "$HOST/selftest.o" \
    -I "$ROOT/Sources/CLinux/include" -I "$HOST" "$ROOT/Sources/xencore-selftest/main.swift"
clang -o "$HOST/xencore-selftest" "$HOST/selftest.o" "$HOST/XenCore.o" "$HOST/XenSimulator.o" \
    "$HOST/KbdIf.o" "$HOST/KbdIfSimulation.o" \
    -L "$EMBEDDED_LIB/x86_64-unknown-linux-gnu" -lswiftUnicodeDataTables -lm
echo "embedded-check: linked $HOST/xencore-selftest"
"$HOST/xencore-selftest"

if [ -n "${SYSROOT:-}" ]; then
    ARM="$OUT/aarch64"
    SR="$SYSROOT"
    for module in $MODULES; do
        compile aarch64-none-none-elf "$ARM" "$module" -Osize -Xfrontend -function-sections -Xcc --sysroot="$SR" \
            -Xcc -isystem -Xcc "$SR/usr/include" -Xcc -isystem -Xcc "$SR/usr/include/aarch64-linux-gnu" \
            -Xcc -D__linux__ -Xcc -D__unix__
    done
    ARMFLAGS="-target aarch64-none-none-elf -enable-experimental-feature Embedded -wmo -Osize -Xfrontend -function-sections \
        -I $ROOT/Sources/CLinux/include -I $ROOT/Sources/CXen/include -I $ARM -Xcc --sysroot=$SR \
        -Xcc -isystem -Xcc $SR/usr/include -Xcc -isystem -Xcc $SR/usr/include/aarch64-linux-gnu -Xcc -D__linux__ -Xcc -D__unix__"
    # shellcheck disable=SC2086
    "$SWIFTC" -package-name driverdom $ARMFLAGS -module-name xencore_selftest -c -o "$ARM/selftest.o" "$ROOT/Sources/xencore-selftest/main.swift"
    # shellcheck disable=SC2086
    "$SWIFTC" -package-name driverdom $ARMFLAGS -module-name kbdif_backend -c -o "$ARM/kbdif-backend.o" "$ROOT"/Sources/kbdif-backend/*.swift
    clang -target aarch64-linux-gnu --sysroot="$SR" -Os -c -I "$ROOT/Sources/CXen/include" \
        "$ROOT/Sources/CXen/cxen_args.c" -o "$ARM/cxen_args.o"
    LINK="clang -target aarch64-linux-gnu --sysroot=$SR -fuse-ld=lld -Wl,--gc-sections -L $EMBEDDED_LIB/aarch64-none-none-elf"
    $LINK -o "$ARM/xencore-selftest" "$ARM/selftest.o" "$ARM/XenCore.o" "$ARM/XenSimulator.o" "$ARM/KbdIf.o" \
        "$ARM/KbdIfSimulation.o" -lswiftUnicodeDataTables -lm
    $LINK -o "$ARM/kbdif-backend" "$ARM/kbdif-backend.o" "$ARM/XenCore.o" "$ARM/KbdIf.o" "$ARM/EvdevInput.o" \
        "$ARM/XenLinux.o" "$ARM/cxen_args.o" -lswiftUnicodeDataTables -lm -lxenstore -lxengnttab -lxenevtchn
    echo "embedded-check: linked $ARM/xencore-selftest and $ARM/kbdif-backend"
    # The device modules compare, key and split text by its bytes (XenCore's ByteString):
    # one String ==, hash, hasPrefix or Character use links Unicode normalization and
    # grapheme breaking back in, ~60 KB of every backend (issue 18).
    if "$(dirname "$(command -v "$SWIFTC")")/llvm-nm" "$ARM/kbdif-backend" \
        | grep -q '_swift_stdlib_normData\|_swift_stdlib_graphemeBreakProperties'; then
        echo "embedded-check: kbdif-backend links the stdlib's Unicode tables; compare text with ByteString" >&2
        exit 1
    fi
    if command -v qemu-aarch64-static >/dev/null; then
        echo "embedded-check: running the aarch64 self-test under qemu-aarch64-static"
        qemu-aarch64-static -L "$SR" "$ARM/xencore-selftest"
    fi
fi
echo "embedded-check: PASS"
