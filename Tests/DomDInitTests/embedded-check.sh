#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Builds DomDInit and driverdom-init in Embedded Swift for x86_64 Linux (the
# embedded stdlib that ships with the toolchain) and links a runnable binary,
# proving the init's sources stay Embedded-safe.
# Usage: embedded-check.sh [OUTPUT_DIR]   (default: a temporary folder)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
swiftc=${SWIFTC:-swiftc}
clang=${CLANG:-clang}
embedded_lib=$(dirname "$(command -v "$swiftc")")/../lib/swift/embedded/x86_64-unknown-linux-gnu

"$swiftc" -target x86_64-unknown-linux-gnu -enable-experimental-feature Embedded -wmo \
    -parse-as-library -Osize -module-name DomDInit \
    -I "$root/Sources/CLinux/include" \
    -c "$root"/Sources/DomDInit/*.swift -o "$out/DomDInit.o"
"$clang" -c "$root/Sources/driverdom-init/main.c" -o "$out/main.o"
"$clang" -fuse-ld=lld "$out/main.o" "$out/DomDInit.o" \
    -L "$embedded_lib" -lswiftUnicodeDataTables -lm -o "$out/driverdom-init"
echo "embedded build ok: $out/driverdom-init"
