#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The benchmark table: every figure of issue 18 measured in one run on this
# machine, each next to its anchor (measured in the same run) with the ratio,
# and the goal where the issue sets one. The table is printed and written to
# Benchmarks/results/<date>-<short commit>.txt with the machine (nproc, CPU
# model, RAM, load), the date and the commit.
#
#   Benchmarks/run.sh [options] [IMAGE]          (default Images/qemu-virt-arm64.yaml)
#
# Sections (all run by default; each can be skipped for a quick run):
#   cold      truly cold build: a temporary DRIVERDOM_CACHE (empty package cache,
#             step cache and SwiftPM scratch; packages downloaded) next to
#             `mmdebstrap --variant=extract` of the same package set into an empty
#             folder (its own apt setup and keyring, never the host's)  [--no-cold]
#   build     warm rows: cold build with warm packages (`driverdom clean --cache`),
#             no-op rebuild, one-layer code edit (--layer LAYER)     [--no-build]
#   boot      `driverdom test` under QEMU TCG, split by the console lines' arrival
#             times: QEMU start → Xen → dom0 kernel → dom0 init → DomD creation
#             (xl create) → each backend ready → all ready → each guest's verdicts
#             (its frontends connected and carried data)                    [--no-boot]
#   flash     flash + verify next to `bmaptool copy` (Benchmarks/flash.sh)   [--no-flash]
#   backends  sndif and kbdif data paths next to memcpy (existing benches)   [--no-backends]
#   sizes     each backend and the init (stripped aarch64), the DomD rootfs and
#             initramfs, the dom0 initramfs, next to their goals            [--no-sizes]
# Other options: --layer LAYER (default kbdif), --note TEXT (added to the results
# file, e.g. "machine shared with other builds"), --no-save (print only),
# --cache DIR and --out DIR: the cache and output folder boot and sizes use when
# the build sections are skipped (default $DRIVERDOM_CACHE or ~/.cache/driverdom, out/<image>).
#
# The cold and build sections use temporary caches and never write the user's
# cache (~/.cache/driverdom; the build section links its downloaded packages when
# the cold section is skipped); boot and sizes reuse their build, else build into
# the user's cache. Needs network for `cold`,
# qemu-system-aarch64 for `boot`, bmap-tools for `flash`, mmdebstrap for `cold`
# (.ci/install-deps installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

image=Images/qemu-virt-arm64.yaml
layer=kbdif
note=""
save=1
existing_cache=${DRIVERDOM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/driverdom}
existing_out=
declare -A run=([cold]=1 [build]=1 [boot]=1 [flash]=1 [backends]=1 [sizes]=1)
while [ $# -gt 0 ]; do
    case "$1" in
        --no-cold|--no-build|--no-boot|--no-flash|--no-backends|--no-sizes) run[${1#--no-}]=0 ;;
        --layer) layer=$2; shift ;;
        --note) note=$2; shift ;;
        --cache) existing_cache=$2; shift ;;
        --out) existing_out=$2; shift ;;
        --no-save) save=0 ;;
        -h|--help) awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) image=$1 ;;
    esac
    shift
done
[ -f "$image" ] || { echo "run.sh: no image file $image" >&2; exit 2; }
lock=${image%.yaml}.lock
[ -f "$lock" ] || { echo "run.sh: no lock file $lock next to $image" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/driverdom-bench.XXXXXX")
executable=$(sed -n 's/^ *executable: *\([^ #]*\).*/\1/p' "Layers/$layer/layer.yaml")
source_file="Sources/$executable/main.swift"
[ -f "$source_file" ] || { echo "run.sh: no $source_file for layer $layer" >&2; exit 2; }
cp "$source_file" "$work/main.swift.orig"
cleanup() {
    cp "$work/main.swift.orig" "$source_file"
    rm -rf "$work"
}
trap cleanup EXIT

say() { echo "run.sh: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
# value/anchor: "1.52x", or "1/7094" when the value is a small fraction of its anchor.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a + 0 == 0) print "-"; else if (a / b >= 0.1) printf "%.2fx", a / b;
                                     else printf "1/%.0f", b / a }'
}
mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }

# The table: measurement | value | anchor | anchor value | ratio | goal.
# Rows go to a file, so a section that fails (it runs in a subshell) keeps the rows before it.
rows="$work/rows.txt"
: >"$rows"
row() { echo "$1|$2|$3|$4|$5|$6" >>"$rows"; }
section() { echo "#$1" >>"$rows"; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)

say "building driverdom (debug, as \`swift run driverdom\`; not timed)"
swift build --product driverdom >/dev/null
driverdom="$(swift build --show-bin-path)/driverdom"

user_cache=$existing_cache
[ -n "$existing_out" ] || existing_out="out/$(basename "$image" .yaml)"
cache="$work/cache"      # the benchmark's own cache (cold, then warm)
out="$work/out"
unset DRIVERDOM_CACHE

# Locked package names (all sets) and the archive lines of the lock.
python3 - "$lock" >"$work/lock.txt" <<'EOF'
import json, sys
lock = json.load(open(sys.argv[1]))
print("arch", lock["architecture"])
for index in lock["indexes"]:
    print("index", index["uri"], index["suite"])
for package in lock["packages"]:
    print("package", package["name"], package["version"], package["size"])
EOF
arch=$(awk '$1 == "arch" { print $2 }' "$work/lock.txt")
package_count=$(grep -c '^package ' "$work/lock.txt")
package_bytes=$(awk '$1 == "package" { s += $4 } END { print s }' "$work/lock.txt")

# Runs one timed build ("$@" are extra arguments); prints "<seconds> <steps run> <steps total>".
timed_build() {
    local log="$work/events.json" start
    start=$(now)
    DRIVERDOM_CACHE=$cache "$driverdom" build "$image" --json --out "$out" "$@" >"$log"
    local seconds; seconds=$(since "$start")
    local ran total
    ran=$(grep '"event":"step-finish"' "$log" | grep -c '"cached":false' || true)
    total=$(grep -c '"event":"step-finish"' "$log" || true)
    echo "$seconds $ran $total"
}

# ---------------------------------------------------------------- cold
section_cold() {
    section "build from nothing (network; $package_count packages, $(mib "$package_bytes") of .debs)"
    command -v mmdebstrap >/dev/null || { echo "run.sh: mmdebstrap not found: run .ci/install-deps (or --no-cold)" >&2; exit 2; }
    say "cold: driverdom build with an empty cache (packages, steps, SwiftPM scratch)"
    timed_build >"$work/timed.txt"; read -r cold_s cold_ran cold_total <"$work/timed.txt"
    say "cold: mmdebstrap --variant=extract of the same $package_count packages"
    sources=()
    while read -r _ uri suite; do sources+=("deb $uri $suite main"); done < <(grep '^index ' "$work/lock.txt")
    names=$(awk '$1 == "package" { printf "%s%s", sep, $2; sep = "," }' "$work/lock.txt")
    start=$(now)
    # mmdebstrap writes its own apt configuration into the target and reads only it;
    # the keyring is named so the host's trusted keys are not used either.
    mmdebstrap --quiet --variant=extract --architectures="$arch" --include="$names" \
        --keyring=/usr/share/keyrings/debian-archive-keyring.gpg --aptopt='Acquire::Languages "none"' \
        "$(awk '$1 == "index" { print $3; exit }' "$work/lock.txt")" "$work/mmdebstrap" "${sources[@]}" \
        >"$work/mmdebstrap.log" 2>&1 || { cat "$work/mmdebstrap.log" >&2; exit 1; }
    mm_s=$(since "$start")
    rm -rf "$work/mmdebstrap"
    row "truly cold build ($cold_ran/$cold_total steps)" "$cold_s s" "mmdebstrap --variant=extract" "$mm_s s" \
        "$(ratio "$cold_s" "$mm_s")" "<= 60 s"
}

# ---------------------------------------------------------------- build (warm)
section_build() {
    section "rebuilds (warm state)"
    if [ ! -d "$cache/packages/apt" ]; then
        [ -d "$user_cache/packages/apt" ] || { echo "run.sh: no packages in $user_cache; run the cold section or driverdom build first" >&2; exit 2; }
        say "build: warming a temporary cache over the downloaded packages of $user_cache (not timed)"
        mkdir -p "$cache/packages"
        ln -s "$user_cache/packages/apt" "$cache/packages/apt"
        DRIVERDOM_CACHE=$cache "$driverdom" build "$image" --quiet --out "$out"
    fi
    DRIVERDOM_CACHE=$cache "$driverdom" clean --cache --out "$out" >/dev/null
    say "build: cold build, warm packages"
    timed_build >"$work/timed.txt"; read -r warm_s warm_ran warm_total <"$work/timed.txt"
    # Anchor: unpacking the same .debs (dpkg-deb -x of each into one folder).
    start=$(now)
    find -L "$cache/packages/apt" -name '*.deb' -print0 | xargs -0 -I{} dpkg-deb -x {} "$work/unpacked"
    unpack_s=$(since "$start")
    unpacked_count=$(find -L "$cache/packages/apt" -name '*.deb' | wc -l)
    rm -rf "$work/unpacked"
    row "cold build, warm packages ($warm_ran/$warm_total steps)" "$warm_s s" "dpkg-deb -x of its $unpacked_count .debs" \
        "$unpack_s s" "$(ratio "$warm_s" "$unpack_s")" "-"

    say "build: no-op"
    timed_build >"$work/timed.txt"; read -r noop_s noop_ran noop_total <"$work/timed.txt"
    start=$(now)
    "$driverdom" check "$image" >/dev/null
    check_s=$(since "$start")
    row "no-op rebuild, warm ($noop_ran/$noop_total steps)" "$noop_s s" "driverdom check (load + validate)" "$check_s s" \
        "$(ratio "$noop_s" "$check_s")" "<= 0.3 s"

    say "build: one-layer code edit ($layer)"
    grep -q "\"$executable: " "$source_file" || { echo "run.sh: no \"$executable: \" message in $source_file" >&2; exit 2; }
    sed -i "0,/\"$executable: /s//\"$executable (benchmark $(date +%s%N)): /" "$source_file"
    timed_build --layer "$layer" >"$work/timed.txt"; read -r edit_s edit_ran edit_total <"$work/timed.txt"
    # Anchor: the same kind of edit compiled by SwiftPM alone — the build's own `swift build` of
    # driverdom's programs (the compile step's title names them), in its scratch folder and Swift
    # SDK: the floor for any tool that cross-compiles the backend with SwiftPM.
    sdks=$(find "$cache/packages/sdks" -mindepth 1 -maxdepth 1 -name "$arch-*" | head -n 1)
    programs=$(sed -n 's/.*"description":"compile \([^"]*\) for [a-z0-9_]*".*"step":"compile".*/\1/p' "$work/events.json" \
        | head -n 1 | sed 's/, / /g')
    scratch=$(find "$cache/packages/swiftpm" -mindepth 1 -maxdepth 1 -name "$(basename "$sdks")-????????????" | head -n 1)
    [ -n "$programs" ] && [ -d "$scratch" ] || { echo "run.sh: no compile step or scratch folder found for the anchor" >&2; exit 1; }
    sed -i "0,/\"$executable (benchmark [0-9]*): /s//\"$executable (benchmark $(date +%s%N)): /" "$source_file"
    start=$(now)
    DRIVERDOM_DEVICE_PRODUCTS="$programs" swift build --package-path "$root" --configuration release \
        --swift-sdks-path "$sdks" --swift-sdk "driverdom-$arch" --scratch-path "$scratch" >"$work/anchor.log" 2>&1 \
        || { cat "$work/anchor.log" >&2; exit 1; }
    compile_s=$(since "$start")
    cp "$work/main.swift.orig" "$source_file"
    row "one-layer code edit, warm ($layer, $edit_ran/$edit_total steps)" "$edit_s s" \
        "SwiftPM alone (same edit, scratch)" "$compile_s s" "$(ratio "$edit_s" "$compile_s")" "<= 8 s"
}

# ---------------------------------------------------------------- boot
section_boot() {
    section "boot under QEMU TCG (driverdom test; seconds after QEMU start, by console line arrival)"
    command -v qemu-system-aarch64 >/dev/null || { echo "run.sh: qemu-system-aarch64 not found (or --no-boot)" >&2; exit 2; }
    if [ -d "$cache/packages/apt" ]; then boot_env=(env "DRIVERDOM_CACHE=$cache"); boot_out=(--out "$out")
    else boot_env=(env "DRIVERDOM_CACHE=$user_cache"); boot_out=(--out "$existing_out"); fi
    say "boot: driverdom test $image (builds first when needed)"
    "${boot_env[@]}" "$driverdom" test "$image" "${boot_out[@]}" 2>&1 | python3 -u -c '
import sys, time
start = time.monotonic()
for line in sys.stdin:
    sys.stdout.write("%.3f %s" % (time.monotonic() - start, line))
' >"$work/console.log" || true
    cp "$work/console.log" "$work/boot-console.log"
    qemu_start=$(awk '/driverdom: session ready in/ { print $1; exit }' "$work/console.log")
    verdict=$(grep -c ' verdict .* PASS' "$work/console.log" || true)
    failed=$(grep -c ' verdict .* FAIL' "$work/console.log" || true)
    reported=$(sed -n 's/.*QEMU start → all DomD backends ready: \([0-9.]*\) s.*/\1/p' "$work/console.log" | head -n 1)
    if [ -z "$qemu_start" ]; then
        row "boot" "no QEMU start seen" "-" "-" "-" "-"
    else
        # First console line (after QEMU started) matching an extended regular expression.
        at() { awk -v s="$qemu_start" -v re="$1" '$1 >= s && $0 ~ re { printf "%.2f", $1 - s; exit }' "$work/console.log"; }
        milestone() { # name regex
            local t; t=$(at "$2")
            if [ -n "$t" ]; then row "$1" "$t s" "-" "-" "-" "-"; else row "$1" "not seen" "-" "-" "-" "-"; fi
        }
        milestone "Xen prints its banner" '\(XEN\) Xen version'
        # Xen 4.17 waits 3 s after printing a boot warning; a separate DomD needs xsm=dummy,
        # whose "SILO mode is not enabled" warning is always printed.
        milestone "Xen's warning countdown ends (3 s wait)" '\(XEN\) 3\.\.\. 2\.\.\. 1\.\.\.'
        # dom0 boots with loglevel=5 (no "Booting Linux" line): Xen's last line before dom0 runs.
        milestone "dom0 kernel starts (Xen freed its init memory)" '\(XEN\) Freed [0-9]+kB init memory'
        milestone "dom0 init starts" 'init: driverdom-init starting'
        milestone "dom0 mounted the disk's boot partition (DomD's kernel)" 'init: mounted partition '
        milestone "DomD creation starts (xl create)" 'init: creating DomD'
        milestone "DomD is a domain (xl create returned)" 'init: [A-Za-z0-9_.-]+ is domain [0-9]+'
        for backend in $(sed -n 's/^  - layer: *\([^ #]*\).*/\1/p' "$image"); do
            milestone "DomD backend $backend ready" "init: DomD backend $backend ready[[:space:]]*\$"
        done
        ready=$(at 'init: all DomD backends ready|driverdom: all backends ready')
        row "all DomD backends ready" "${ready:+$ready s}$([ -z "$ready" ] && echo never)" "driverdom's own figure" "${reported:-?} s" \
            "$([ -n "$ready" ] && [ -n "$reported" ] && ratio "$ready" "$reported" || echo -)" "<= 12 s"
        milestone "guest kbdif frontend connected (its verdict)" 'verdict kbdif '
        milestone "guest sndif frontend connected (its verdict)" 'verdict sndif-playback '
        qemu_ran=$(sed -n 's/.*QEMU ran \([0-9.]*\) s; test took \([0-9.]*\) s.*/\1/p' "$work/console.log" | head -n 1)
        row "QEMU ran (whole test run; $verdict PASS, $failed FAIL verdicts)" "${qemu_ran:-?} s" "-" "-" "-" "-"
    fi
}

# ---------------------------------------------------------------- flash
section_flash() {
    section "flash (1 GiB image, 48 MiB of data in 24 ranges, onto a file)"
    say "flash: Benchmarks/flash.sh"
    Benchmarks/flash.sh >"$work/flash.log" 2>&1 || { cat "$work/flash.log" >&2; exit 1; }
    ours=$(sed -n 's/.*driverdom flash (check + write + read-back) *\([0-9.]*\).*/\1/p' "$work/flash.log")
    bmap=$(sed -n 's/.*bmaptool copy (verifies while copying) *\([0-9.n/a]*\).*/\1/p' "$work/flash.log")
    row "driverdom flash + read-back verify" "$ours s" "bmaptool copy" "$bmap s" "$(ratio "$ours" "$bmap")" "-"
}

# ---------------------------------------------------------------- backends
section_backends() {
    section "backend data paths (host CPU, simulated Xen)"
    say "backends: Benchmarks/sndif.sh (embedded build) and Benchmarks/kbdif.sh"
    SNDIF_BENCH=embedded Benchmarks/sndif.sh >"$work/sndif.log" 2>&1 || { cat "$work/sndif.log" >&2; exit 1; }
    while read -r line; do
        # throughput 64 KiB WRITEs, 4 in flight: simulated N frames/s, memcpy M frames/s, ratio P% (...)
        what=$(echo "$line" | sed -n 's/^throughput \(.*\): simulated.*/\1/p')
        simulated=$(echo "$line" | sed -n 's/.*simulated \([0-9]*\) frames.*/\1/p')
        memcpy=$(echo "$line" | sed -n 's/.*memcpy \([0-9]*\) frames.*/\1/p')
        [ -n "$what" ] && row "sndif playback, $what (frames/s)" "$simulated" "memcpy" "$memcpy" \
            "$(ratio "$simulated" "$memcpy")" "-"
    done < <(grep '^throughput ' "$work/sndif.log")
    Benchmarks/kbdif.sh >"$work/kbdif.log" 2>&1 || { cat "$work/kbdif.log" >&2; exit 1; }
    while read -r line; do
        what=$(echo "$line" | sed -n 's/^\([^:]*\):.*/\1/p' | sed 's/ (.*//')
        events=$(echo "$line" | sed -n 's/.* ms, \([0-9]*\) events\/s.*/\1/p')
        memcpy=$(echo "$line" | sed -n 's/.*memcpy of the same bytes \([0-9]*\) events\/s.*/\1/p')
        [ -n "$events" ] && row "kbdif $what (events/s)" "$events" "memcpy" "$memcpy" "$(ratio "$events" "$memcpy")" "-"
    done < <(grep 'events/s' "$work/kbdif.log")
}

# ---------------------------------------------------------------- sizes
section_sizes() {
    section "sizes (aarch64, stripped; goals from issue 18)"
    if [ -f "$out/boot/dom0-initrd.cpio.gz" ]; then size_out=$out
    else
        say "sizes: building $image into $existing_out (cache $user_cache)"
        size_out=$existing_out
        DRIVERDOM_CACHE=$user_cache "$driverdom" build "$image" --quiet --out "$size_out"
    fi
    domd_initramfs="$size_out/domd-initramfs.cpio.gz"
    gzip -dc "$domd_initramfs" | (cd "$work" && mkdir -p domd && cd domd && cpio -idm --quiet 2>/dev/null)
    for binary in "$work"/domd/usr/bin/*-backend "$work/domd/init"; do
        [ -f "$binary" ] || continue
        bytes=$(stat -c %s "$binary")
        name=$(basename "$binary"); [ "$name" = init ] && name="driverdom-init (the init)"
        row "$name" "$(kib "$bytes")" "goal" "150.0 KiB" "$(ratio "$bytes" $((150 * 1024)))" "<= 150 KiB"
    done
    rootfs=$(find "$work/domd" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    row "DomD rootfs (files)" "$(mib "$rootfs")" "goal" "7.00 MiB" "$(ratio "$rootfs" $((7 * 1048576)))" "<= 7 MiB"
    bytes=$(stat -c %s "$domd_initramfs")
    row "DomD initramfs ($(basename "$domd_initramfs"))" "$(mib "$bytes")" "-" "-" "-" "-"
    bytes=$(stat -c %s "$size_out/boot/dom0-initrd.cpio.gz")
    row "dom0 initramfs (dom0-initrd.cpio.gz)" "$(mib "$bytes")" "goal" "8.00 MiB" "$(ratio "$bytes" $((8 * 1048576)))" "<= 8 MiB"
    kernel=$(stat -c %s "$size_out/boot/vmlinuz")
    row "  DomD's kernel: the disk's boot/vmlinuz (not in it)" "$(mib "$kernel")" "-" "-" "-" "-"
}

# ---------------------------------------------------------------- the table
commit=$(git rev-parse --short HEAD)
dirty=$(git status --porcelain --untracked-files=no | grep -v " $source_file\$" | head -n 1 || true)
results="Benchmarks/results/$(date -u +%Y-%m-%d)-$commit.txt"

# Writes the table so far to $work/table.txt (and the results file); $1 says what is still to run.
render() {
    {
        echo "driverdom benchmark table — $(basename "$image" .yaml) (Benchmarks/run.sh)"
        echo "date     $started (UTC)"
        echo "commit   $commit$([ -n "$dirty" ] && echo " (with uncommitted changes)")"
        echo "machine  $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
        echo "load     $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) now (1/5/15 min)"
        [ -n "$note" ] && echo "note     $note"
        [ -n "$1" ] && echo "state    incomplete: still to run: $1"
        echo
        printf '%-58s %14s  %-38s %12s %8s  %s\n' "measurement" "value" "anchor (same run)" "anchor" "ratio" "goal"
        while IFS= read -r line; do
            if [ "${line:0:1}" = "#" ]; then echo; echo "${line:1}"; continue; fi
            IFS='|' read -r name value anchor anchor_value r goal <<<"$line"
            printf '  %-56s %14s  %-38s %12s %8s  %s\n' "$name" "$value" "$anchor" "$anchor_value" "$r" "$goal"
        done <"$rows"
        if [ -f "$work/boot-console.log" ]; then
            echo
            echo "boot console milestones (seconds since driverdom test started, console line):"
            grep -E 'XEN\) Xen version|XEN\) 3\.\.\. 2|XEN\) Freed|Booting Linux|init: |verdict|session ready|QEMU ran' "$work/boot-console.log" \
                | cut -c1-160 | sed 's/^/    /'
        fi
    } >"$work/table.txt"
    if [ "$save" = 1 ]; then mkdir -p Benchmarks/results; cp "$work/table.txt" "$results"; fi
}

# ---------------------------------------------------------------- run the sections
# Sizes right after the builds (they read the build's output), the long host builds last.
order=(cold build sizes boot backends flash)
for index in "${!order[@]}"; do
    name=${order[$index]}
    if [ "${run[$name]}" = 0 ]; then echo "#$name: skipped (--no-$name)" >>"$rows"; continue; fi
    cp "$work/main.swift.orig" "$source_file"
    set +e
    (set -e; "section_$name")
    status=$?
    set -e
    if [ "$status" != 0 ]; then
        echo "#$name: FAILED (status $status; its output is above); rows before the failure are kept" >>"$rows"
    fi
    render "${order[*]:$((index + 1))}"
done
render ""
cat "$work/table.txt"
[ "$save" = 1 ] && say "wrote $results"
exit 0
