#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Session start benchmark: the time from `driverdom run IMAGE` to QEMU's start,
# with the session's steps cold (a fresh step cache; the package cache and the
# cross compiler's SwiftPM folder stay warm, as after any `driverdom build`) and
# with nothing changed (every step cached). Each row also prints its ratio to the
# anchor, `driverdom check IMAGE` (loading and validating the image), measured in
# the same run. QEMU is stopped with SIGTERM as soon as it has started.
#
#   Benchmarks/run-start.sh [IMAGE] [RUNS]   (default Images/qemu-virt-arm64.yaml, 3 warm runs)
#
# Needs a built image (`driverdom build IMAGE` first) and qemu-system-aarch64.
# DRIVERDOM=path/to/driverdom picks the binary (default: .build/release/driverdom,
# else .build/debug/driverdom).
set -eu
cd "$(dirname "$0")/.."
image=${1:-Images/qemu-virt-arm64.yaml}
runs=${2:-3}
. Benchmarks/qemu-common.sh
shared=${DRIVERDOM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/driverdom}
[ -d "$shared/packages" ] || { echo "run-start.sh: no package cache in $shared; run driverdom build $image first" >&2; exit 2; }
cache=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$cache" "$log"' EXIT
# A fresh step cache over the shared package cache: the session's steps run, nothing is downloaded.
ln -s "$shared/packages" "$cache/packages"

now() { date +%s.%N; }
seconds() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }

# Runs `driverdom run`, returns (prints) the seconds until its qemu-system-aarch64 child exists.
start_time() {
    begin=$(now)
    DRIVERDOM_CACHE=$cache "$DRIVERDOM" run "$image" </dev/null >"$log" 2>&1 &
    pid=$!
    while ! pgrep -P "$pid" -f qemu-system-aarch64 >/dev/null 2>&1; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "run-start.sh: driverdom run ended before starting QEMU:" >&2
            tail -n 20 "$log" >&2
            exit 1
        fi
        sleep 0.02
    done
    end=$(now)
    kill -TERM "$pid"
    wait "$pid" || true
    seconds "$begin" "$end"
}

begin=$(now)
"$DRIVERDOM" check "$image" >/dev/null
anchor=$(seconds "$begin" "$(now)")
ratio() { echo "$1 $anchor" | awk '{ printf "%.1f", $1 / $2 }'; }
echo "anchor: driverdom check $image: $anchor s"
cold=$(start_time)
echo "driverdom run -> QEMU start, session steps cold (fresh step cache, warm package cache): $cold s ($(ratio "$cold")x anchor)"
run=1
while [ "$run" -le "$runs" ]; do
    warm=$(start_time)
    echo "driverdom run -> QEMU start, nothing changed (warm: every step cached), run $run: $warm s ($(ratio "$warm")x anchor)"
    run=$((run + 1))
done
