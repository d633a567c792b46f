#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Compiles the usbif device modules (and the core modules they need) in
# Embedded Swift mode for the host (x86_64-unknown-linux-gnu), links
# usbif-backend built that way against libusb-1.0 and the Xen libraries, and
# runs it: usage errors must exit 2, and without Xen it must exit 1.
#
# Usage: Tests/UsbIfTests/embedded-check.sh [output-dir]
# With SYSROOT=<aarch64 Debian sysroot> it also compiles the modules and the
# backend for aarch64-none-none-elf against that sysroot (compile only).
set -eu
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
SWIFTC="${SWIFTC:-swiftc}"
EMBEDDED_LIB="$(dirname "$(dirname "$(command -v "$SWIFTC")")")/lib/swift/embedded"
INCLUDES="-I $ROOT/Sources/CLinux/include -I $ROOT/Sources/CXen/include -I $ROOT/Sources/CUSB/include"

compile() { # triple outdir module [extra flags...]
    triple="$1"; dir="$2"; module="$3"; shift 3
    mkdir -p "$dir"
    # shellcheck disable=SC2086
    "$SWIFTC" -target "$triple" -enable-experimental-feature Embedded -wmo -parse-as-library -Osize \
        -module-name "$module" -emit-module -emit-module-path "$dir/$module.swiftmodule" \
        -c -o "$dir/$module.o" $INCLUDES -I "$dir" "$@" "$ROOT"/Sources/"$module"/*.swift
    echo "embedded-check: $module ($triple) ok"
}

compile_backend() { # triple outdir [extra flags...]
    triple="$1"; dir="$2"; shift 2
    # shellcheck disable=SC2086
    "$SWIFTC" -target "$triple" -enable-experimental-feature Embedded -wmo -Osize \
        -module-name usbif_backend -c -o "$dir/usbif-backend.o" $INCLUDES -I "$dir" "$@" \
        "$ROOT"/Sources/usbif-backend/*.swift
    echo "embedded-check: usbif-backend ($triple) ok"
}

MODULES="XenCore XenSimulator XenLinux UsbIf UsbIfSimulation LibUSBHost"
HOST="$OUT/x86_64"
for module in $MODULES; do compile x86_64-unknown-linux-gnu "$HOST" "$module"; done
compile_backend x86_64-unknown-linux-gnu "$HOST"
# shellcheck disable=SC2086
clang -c -o "$HOST/cxen_args.o" $INCLUDES "$ROOT/Sources/CXen/cxen_args.c"
# shellcheck disable=SC2086
clang -c -o "$HOST/cusb.o" $INCLUDES "$ROOT/Sources/CUSB/cusb.c"
clang -o "$HOST/usbif-backend" "$HOST/usbif-backend.o" "$HOST/XenCore.o" "$HOST/XenLinux.o" "$HOST/UsbIf.o" \
    "$HOST/LibUSBHost.o" "$HOST/cxen_args.o" "$HOST/cusb.o" \
    -L "$EMBEDDED_LIB/x86_64-unknown-linux-gnu" -lswiftUnicodeDataTables -lm \
    -lusb-1.0 -lxenstore -lxengnttab -lxenevtchn
echo "embedded-check: linked $HOST/usbif-backend"

status=0
"$HOST/usbif-backend" --no-such-option >"$HOST/usage.txt" 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "embedded-check: expected exit 2 for a bad option, got $status"; exit 1; }
grep -q "usage: usbif-backend" "$HOST/usage.txt" || { echo "embedded-check: no usage text"; exit 1; }
status=0
"$HOST/usbif-backend" --max-urbs 0 --usb-controller dummy_hcd.0 >"$HOST/usage2.txt" 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "embedded-check: expected exit 2 for --max-urbs 0, got $status"; exit 1; }
if [ ! -e /dev/xen/xenbus ]; then
    status=0
    "$HOST/usbif-backend" --detach-kernel-driver --hotplug --max-urbs 64 --domain 1 --usb-controller dummy_hcd.0 \
        >"$HOST/noxen.txt" 2>&1 || status=$?
    [ "$status" -eq 1 ] || { echo "embedded-check: expected exit 1 without Xen, got $status"; exit 1; }
    grep -q "Unable to open Xen" "$HOST/noxen.txt" || { echo "embedded-check: no Xen error text"; exit 1; }
fi
echo "embedded-check: usbif-backend runs (usage exit 2, no-Xen exit 1)"

if [ -n "${SYSROOT:-}" ]; then
    ARM="$OUT/aarch64"
    SYSFLAGS="-Xcc --sysroot=$SYSROOT -Xcc -isystem -Xcc $SYSROOT/usr/include -Xcc -isystem -Xcc $SYSROOT/usr/include/aarch64-linux-gnu -Xcc -D__linux__ -Xcc -D__unix__"
    # shellcheck disable=SC2086
    for module in $MODULES; do compile aarch64-none-none-elf "$ARM" "$module" $SYSFLAGS; done
    # shellcheck disable=SC2086
    compile_backend aarch64-none-none-elf "$ARM" $SYSFLAGS
    clang -target aarch64-linux-gnu --sysroot="$SYSROOT" -c -o "$ARM/cusb.o" -I "$ROOT/Sources/CUSB/include" \
        "$ROOT/Sources/CUSB/cusb.c"
    echo "embedded-check: cusb.c (aarch64) ok"
fi
echo "embedded-check: PASS"
