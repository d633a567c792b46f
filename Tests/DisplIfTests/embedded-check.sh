#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Compiles the displif device modules (and the core modules they need) in
# Embedded Swift mode for the host (x86_64-unknown-linux-gnu), links
# displif-backend built that way against libdrm and the Xen libraries, and
# runs it: usage errors (and --zero-copy) must exit 2, and without a DRM card
# it must exit 1.
#
# Usage: Tests/DisplIfTests/embedded-check.sh [output-dir]
# With SYSROOT=<aarch64 Debian sysroot> it also compiles the modules, the C
# shim and the backend for aarch64-none-none-elf against that sysroot, links
# the backend, and runs it under qemu-aarch64-static when that is installed.
set -eu
BACKEND=displif-backend
EXTRA_INCLUDES="-I $(cd "$(dirname "$0")/../.." && pwd)/Sources/CDRM/include"
# shellcheck source=../embedded-common.sh
. "$(dirname "$0")/../embedded-common.sh"

MODULES="XenCore XenSimulator XenLinux DisplIf DisplIfSimulation DRMDisplay"
HOST="$OUT/x86_64"
for module in $MODULES; do compile x86_64-unknown-linux-gnu "$HOST" "$module"; done
compile_backend x86_64-unknown-linux-gnu "$HOST"
# shellcheck disable=SC2086
"$CLANG" -c -o "$HOST/cxen_args.o" $INCLUDES "$ROOT/Sources/CXen/cxen_args.c"
# shellcheck disable=SC2086
"$CLANG" -c -o "$HOST/cdrm.o" $INCLUDES "$ROOT/Sources/CDRM/cdrm.c"
"$CLANG" -o "$HOST/displif-backend" "$HOST/displif-backend.o" "$HOST/XenCore.o" "$HOST/XenLinux.o" "$HOST/DisplIf.o" \
    "$HOST/DRMDisplay.o" "$HOST/cdrm.o" "$HOST/cxen_args.o" \
    -L "$EMBEDDED_LIB/x86_64-unknown-linux-gnu" -lswiftUnicodeDataTables -lm \
    -ldrm -lxenstore -lxengnttab -lxenevtchn
echo "embedded-check: linked $HOST/displif-backend"

status=0
"$HOST/displif-backend" --no-such-option >"$HOST/usage.txt" 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "embedded-check: expected exit 2 for a bad option, got $status"; exit 1; }
grep -q "usage: displif-backend" "$HOST/usage.txt" || { echo "embedded-check: no usage text"; exit 1; }
status=0
"$HOST/displif-backend" --zero-copy /dev/dri/card0 --connector Virtual-1 >"$HOST/zerocopy.txt" 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "embedded-check: expected exit 2 for --zero-copy, got $status"; exit 1; }
grep -q "zero-copy is not implemented" "$HOST/zerocopy.txt" || { echo "embedded-check: no --zero-copy refusal"; exit 1; }
status=0
"$HOST/displif-backend" /nonexistent/card0 --connector Virtual-1 >"$HOST/nocard.txt" 2>&1 || status=$?
[ "$status" -eq 1 ] || { echo "embedded-check: expected exit 1 without a DRM card, got $status"; exit 1; }
grep -q "Unable to open the display" "$HOST/nocard.txt" || { echo "embedded-check: no display error text"; exit 1; }
echo "embedded-check: displif-backend runs (usage and --zero-copy exit 2, no card exit 1)"

if [ -n "${SYSROOT:-}" ]; then
    ARM="$OUT/aarch64"
    SYSFLAGS="-Xcc --sysroot=$SYSROOT -Xcc -isystem -Xcc $SYSROOT/usr/include -Xcc -isystem -Xcc $SYSROOT/usr/include/aarch64-linux-gnu -Xcc -D__linux__ -Xcc -D__unix__"
    # shellcheck disable=SC2086
    for module in $MODULES; do compile aarch64-none-none-elf "$ARM" "$module" $SYSFLAGS; done
    # shellcheck disable=SC2086
    compile_backend aarch64-none-none-elf "$ARM" $SYSFLAGS
    # shellcheck disable=SC2086
    "$CLANG" -target aarch64-linux-gnu --sysroot="$SYSROOT" -isystem "$SYSROOT/usr/include/aarch64-linux-gnu" \
        -isystem "$SYSROOT/usr/include" $INCLUDES -c -o "$ARM/cdrm.o" "$ROOT/Sources/CDRM/cdrm.c"
    echo "embedded-check: CDRM (aarch64) ok"
    "$CLANG" -target aarch64-linux-gnu --sysroot="$SYSROOT" -isystem "$SYSROOT/usr/include/aarch64-linux-gnu" \
        -isystem "$SYSROOT/usr/include" -I "$ROOT/Sources/CXen/include" -c -o "$ARM/cxen_args.o" "$ROOT/Sources/CXen/cxen_args.c"
    "$CLANG" -target aarch64-linux-gnu --sysroot="$SYSROOT" -fuse-ld=lld -o "$ARM/displif-backend" \
        "$ARM/displif-backend.o" "$ARM/XenCore.o" "$ARM/XenLinux.o" "$ARM/DisplIf.o" "$ARM/DRMDisplay.o" \
        "$ARM/cdrm.o" "$ARM/cxen_args.o" -L "$EMBEDDED_LIB/aarch64-none-none-elf" -lswiftUnicodeDataTables -lm \
        -ldrm -lxenstore -lxengnttab -lxenevtchn
    echo "embedded-check: linked $ARM/displif-backend"
    if command -v qemu-aarch64-static >/dev/null 2>&1; then
        status=0
        qemu-aarch64-static -L "$SYSROOT" "$ARM/displif-backend" --zero-copy c --connector X >"$ARM/zerocopy.txt" 2>&1 || status=$?
        [ "$status" -eq 2 ] || { echo "embedded-check: aarch64: expected exit 2 for --zero-copy, got $status"; exit 1; }
        status=0
        qemu-aarch64-static -L "$SYSROOT" "$ARM/displif-backend" /nonexistent/card0 --connector X >"$ARM/nocard.txt" 2>&1 || status=$?
        [ "$status" -eq 1 ] || { echo "embedded-check: aarch64: expected exit 1 without a DRM card, got $status"; exit 1; }
        echo "embedded-check: aarch64 displif-backend runs under qemu-aarch64-static"
    fi
fi
echo "embedded-check: PASS"
