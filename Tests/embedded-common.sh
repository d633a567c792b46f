# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Shared part of the backends' embedded-check.sh scripts (sourced, not run):
# compiles device modules and a backend executable in Embedded Swift mode, as
# the image build does, for the host or (with SYSROOT) for aarch64.
#
# The sourcing script sets, before sourcing:
#   BACKEND         executable target name (e.g. sndif-backend)
#   EXTRA_INCLUDES  -I flags of its C shims beyond CLinux and CXen (may be empty)
# and passes its output folder as $1 (default: a new temporary folder).
# Afterwards ROOT, OUT, SWIFTC, CLANG, EMBEDDED_LIB and INCLUDES are set.
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
SWIFTC="${SWIFTC:-swiftc}"
CLANG="${CLANG:-clang}"
EMBEDDED_LIB="$(dirname "$(dirname "$(command -v "$SWIFTC")")")/lib/swift/embedded"
INCLUDES="-I $ROOT/Sources/CLinux/include -I $ROOT/Sources/CXen/include ${EXTRA_INCLUDES:-}"

compile() { # triple outdir module [extra flags...]
    triple="$1"; dir="$2"; module="$3"; shift 3
    mkdir -p "$dir"
    # shellcheck disable=SC2086
    "$SWIFTC" -package-name driverdom -target "$triple" -enable-experimental-feature Embedded -wmo -parse-as-library -Osize \
        -module-name "$module" -emit-module -emit-module-path "$dir/$module.swiftmodule" \
        -c -o "$dir/$module.o" $INCLUDES -I "$dir" "$@" "$ROOT"/Sources/"$module"/*.swift
    echo "embedded-check: $module ($triple) ok"
}

compile_backend() { # triple outdir [extra flags...]: $BACKEND's sources into outdir/$BACKEND.o
    triple="$1"; dir="$2"; shift 2
    # shellcheck disable=SC2086
    "$SWIFTC" -package-name driverdom -target "$triple" -enable-experimental-feature Embedded -wmo -Osize \
        -module-name "$(echo "$BACKEND" | tr - _)" -c -o "$dir/$BACKEND.o" $INCLUDES -I "$dir" "$@" \
        "$ROOT"/Sources/"$BACKEND"/*.swift
    echo "embedded-check: $BACKEND ($triple) ok"
}
