#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Compiles the sndif device modules (and the core modules they need) in
# Embedded Swift mode for the host (x86_64-unknown-linux-gnu), links
# sndif-backend built that way against libasound and the Xen libraries, and
# runs it: usage errors must exit 2, and without Xen it must exit 1.
#
# Usage: Tests/SndIfTests/embedded-check.sh [output-dir]
# With SYSROOT=<aarch64 Debian sysroot> it also compiles the modules and the
# backend for aarch64-none-none-elf against that sysroot (compile only).
set -eu
BACKEND=sndif-backend
EXTRA_INCLUDES="-I $(cd "$(dirname "$0")/../.." && pwd)/Sources/CALSA/include"
# shellcheck source=../embedded-common.sh
. "$(dirname "$0")/../embedded-common.sh"

MODULES="XenCore XenSimulator XenLinux SndIf SndIfSimulation ALSAPCM"
HOST="$OUT/x86_64"
for module in $MODULES; do compile x86_64-unknown-linux-gnu "$HOST" "$module"; done
compile_backend x86_64-unknown-linux-gnu "$HOST"
clang -c -o "$HOST/cxen_args.o" $INCLUDES "$ROOT/Sources/CXen/cxen_args.c"
clang -o "$HOST/sndif-backend" "$HOST/sndif-backend.o" "$HOST/XenCore.o" "$HOST/XenLinux.o" "$HOST/SndIf.o" \
    "$HOST/ALSAPCM.o" "$HOST/cxen_args.o" \
    -L "$EMBEDDED_LIB/x86_64-unknown-linux-gnu" -lswiftUnicodeDataTables -lm \
    -lasound -lxenstore -lxengnttab -lxenevtchn
echo "embedded-check: linked $HOST/sndif-backend"

status=0
"$HOST/sndif-backend" --no-such-option >"$HOST/usage.txt" 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "embedded-check: expected exit 2 for a bad option, got $status"; exit 1; }
grep -q "usage: sndif-backend" "$HOST/usage.txt" || { echo "embedded-check: no usage text"; exit 1; }
if [ ! -e /dev/xen/xenbus ]; then
    status=0
    "$HOST/sndif-backend" --bind DomU snd0-p p null >"$HOST/noxen.txt" 2>&1 || status=$?
    [ "$status" -eq 1 ] || { echo "embedded-check: expected exit 1 without Xen, got $status"; exit 1; }
    grep -q "Unable to open Xen" "$HOST/noxen.txt" || { echo "embedded-check: no Xen error text"; exit 1; }
fi
echo "embedded-check: sndif-backend runs (usage exit 2, no-Xen exit 1)"

if [ -n "${SYSROOT:-}" ]; then
    ARM="$OUT/aarch64"
    SYSFLAGS="-Xcc --sysroot=$SYSROOT -Xcc -isystem -Xcc $SYSROOT/usr/include -Xcc -isystem -Xcc $SYSROOT/usr/include/aarch64-linux-gnu -Xcc -D__linux__ -Xcc -D__unix__"
    # shellcheck disable=SC2086
    for module in $MODULES; do compile aarch64-none-none-elf "$ARM" "$module" $SYSFLAGS; done
    # shellcheck disable=SC2086
    compile_backend aarch64-none-none-elf "$ARM" $SYSFLAGS
fi
echo "embedded-check: PASS"
