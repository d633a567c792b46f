#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Coverage-guided fuzzing of one protocol backend with libFuzzer.
#
#   Fuzz/run.sh PROTOCOL SECONDS        fuzz for SECONDS seconds
#   Fuzz/run.sh PROTOCOL --runs N       fuzz for N executions (what the tests run)
#   Fuzz/run.sh PROTOCOL --merge DIR    add DIR's inputs that reach new coverage to Fuzz/corpus/PROTOCOL
#
# PROTOCOL is kbdif, sndif, displif or usbif. The target (Fuzz/PROTOCOL/main.swift)
# and the device modules it drives are compiled with `swiftc -sanitize=fuzzer,address`
# into .build/fuzz/PROTOCOL (rebuilt when a source changed). The committed seed
# corpus Fuzz/corpus/PROTOCOL is read, never written: new inputs go to a scratch
# folder (FUZZ_WORK, default a new temporary folder; inputs in its corpus/). Prints the number of
# executions as `executions: N`; exits non-zero on a finding (the crashing
# input is left in the scratch folder and named in libFuzzer's output).
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
usage() { echo "usage: Fuzz/run.sh kbdif|sndif|displif|usbif SECONDS | --runs N | --merge DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
PROTOCOL="$1"; shift
case "$PROTOCOL" in
    kbdif) MODULES="XenCore XenSimulator KbdIf KbdIfSimulation" ;;
    sndif) MODULES="XenCore XenSimulator SndIf SndIfSimulation" ;;
    displif) MODULES="XenCore XenSimulator DisplIf DisplIfSimulation" ;;
    usbif) MODULES="XenCore XenSimulator UsbIf UsbIfSimulation" ;;
    *) usage ;;
esac
MODE=time; VALUE=""
case "$1" in
    --runs) [ $# -eq 2 ] || usage; MODE=runs; VALUE="$2" ;;
    --merge) [ $# -eq 2 ] || usage; MODE=merge; VALUE="$2" ;;
    *) [ $# -eq 1 ] || usage; VALUE="$1" ;;
esac
case "$VALUE" in ''|*[!0-9A-Za-z/._-]*) usage ;; esac

SWIFTC="${SWIFTC:-swiftc}"
OUT="$ROOT/.build/fuzz/$PROTOCOL"
BIN="$OUT/fuzz-$PROTOCOL"
mkdir -p "$OUT"
SOURCES="$ROOT/Fuzz/$PROTOCOL/main.swift"
for module in $MODULES; do SOURCES="$SOURCES $ROOT/Sources/$module"; done
if [ ! -x "$BIN" ] || [ -n "$(find $SOURCES "$ROOT/Sources/CLinux" -newer "$BIN" -print | head -n 1)" ]; then
    echo "fuzz: building $BIN" >&2
    FLAGS="-sanitize=fuzzer,address -parse-as-library -O -g -I $ROOT/Sources/CLinux/include -I $OUT"
    OBJECTS=""
    for module in $MODULES; do
        # shellcheck disable=SC2086
        "$SWIFTC" -package-name driverdom $FLAGS -wmo -module-name "$module" -emit-module -emit-module-path "$OUT/$module.swiftmodule" \
            -c -o "$OUT/$module.o" "$ROOT"/Sources/"$module"/*.swift
        OBJECTS="$OBJECTS $OUT/$module.o"
    done
    # shellcheck disable=SC2086
    "$SWIFTC" -package-name driverdom $FLAGS -module-name "fuzz_$PROTOCOL" -o "$BIN.new" "$ROOT/Fuzz/$PROTOCOL/main.swift" $OBJECTS 2>"$OUT/link.log" \
        || { cat "$OUT/link.log" >&2; exit 1; }
    mv "$BIN.new" "$BIN"
fi

CORPUS="$ROOT/Fuzz/corpus/$PROTOCOL"
mkdir -p "$CORPUS"
if [ "$MODE" = merge ]; then
    exec "$BIN" -merge=1 "$CORPUS" "$VALUE"
fi
WORK="${FUZZ_WORK:-$(mktemp -d)}"
mkdir -p "$WORK/corpus"
if [ "$MODE" = runs ]; then LIMIT="-runs=$VALUE"; else LIMIT="-max_total_time=$VALUE"; fi
status=0
# -detect_leaks=0: the harness keeps one backend alive across inputs, so every input's
# malloc/free counts differ and libFuzzer would run LeakSanitizer's full heap scan after
# each one (measured: 100 instead of 2,000 executions/s). Leaked guest mappings, the leak
# that matters, are checked by each harness's own invariants.
"$BIN" $LIMIT -detect_leaks=0 -print_final_stats=1 -max_len=4096 -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$WORK/" \
    "$WORK/corpus" "$CORPUS" >"$WORK/fuzz.log" 2>&1 || status=$?
tail -n 40 "$WORK/fuzz.log" >&2
EXECUTIONS=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/fuzz.log" | tail -n 1)
echo "executions: ${EXECUTIONS:-0}"
if [ "$status" -ne 0 ]; then
    echo "fuzz: $PROTOCOL found a problem (exit $status); inputs and log in $WORK" >&2
    exit "$status"
fi
