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
BACKEND=usbif-backend
EXTRA_INCLUDES="-I $(cd "$(dirname "$0")/../.." && pwd)/Sources/CUSB/include"
# shellcheck source=../embedded-common.sh
. "$(dirname "$0")/../embedded-common.sh"

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
