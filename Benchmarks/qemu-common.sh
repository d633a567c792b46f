# SPDX-License-Identifier: Apache-2.0
#
# Sourced by the QEMU benchmarks (boot.sh, run-start.sh) from the package root:
# sets DRIVERDOM (default .build/release/driverdom, else a debug build) and
# stops with status 2 when qemu-system-aarch64 is missing.
if [ -z "${DRIVERDOM:-}" ]; then
    if [ -x .build/release/driverdom ]; then DRIVERDOM=.build/release/driverdom
    else swift build --product driverdom >/dev/null && DRIVERDOM=.build/debug/driverdom; fi
fi
command -v qemu-system-aarch64 >/dev/null || { echo "$0: qemu-system-aarch64 not found (apt-get install qemu-system-arm)" >&2; exit 2; }
