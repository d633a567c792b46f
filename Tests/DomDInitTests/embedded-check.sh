#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Builds DomDInit and driverdom-init in Embedded Swift and links a runnable
# binary, proving the init's sources stay Embedded-safe.
#
# Usage: embedded-check.sh [OUTPUT_DIR]          x86_64 Linux (embedded stdlib shipped
#                                                with the toolchain, host glibc)
#        ARCH=aarch64 SYSROOT=DIR embedded-check.sh [OUTPUT_DIR]
#                                                arm64 (aarch64-none-none-elf linked
#                                                against a Debian arm64 sysroot, TOOLCHAIN.md);
#                                                run it with qemu-aarch64-static -L DIR
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
swiftc=${SWIFTC:-swiftc}
clang=${CLANG:-clang}
embedded=$(dirname "$(command -v "$swiftc")")/../lib/swift/embedded
arch=${ARCH:-x86_64}

case "$arch" in
x86_64)
    swift_target=x86_64-unknown-linux-gnu
    set -- -I "$root/Sources/CLinux/include"
    link="$clang -fuse-ld=lld"
    ;;
aarch64)
    : "${SYSROOT:?set SYSROOT to a Debian arm64 sysroot (libc6, libc6-dev, linux-libc-dev, libgcc-12-dev)}"
    swift_target=aarch64-none-none-elf
    set -- -I "$root/Sources/CLinux/include" -Xfrontend -function-sections \
        -Xcc --sysroot="$SYSROOT" -Xcc -isystem -Xcc "$SYSROOT/usr/include" \
        -Xcc -isystem -Xcc "$SYSROOT/usr/include/aarch64-linux-gnu" -Xcc -D__linux__ -Xcc -D__unix__
    link="$clang -target aarch64-linux-gnu --sysroot=$SYSROOT -fuse-ld=lld -Wl,--gc-sections"
    clang="$clang -target aarch64-linux-gnu --sysroot=$SYSROOT"
    ;;
*)
    echo "embedded-check.sh: unknown ARCH '$arch' (x86_64 or aarch64)" >&2
    exit 2
    ;;
esac

"$swiftc" -package-name driverdom -target "$swift_target" -enable-experimental-feature Embedded -wmo \
    -parse-as-library -Osize -module-name DomDInit "$@" \
    -c "$root"/Sources/DomDInit/*.swift -o "$out/DomDInit.o"
$clang -c "$root/Sources/driverdom-init/main.c" -o "$out/main.o"
$link "$out/main.o" "$out/DomDInit.o" \
    -L "$embedded/$swift_target" -lswiftUnicodeDataTables -lm -o "$out/driverdom-init"
echo "embedded build ok ($arch): $out/driverdom-init"
