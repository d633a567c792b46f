#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs driverdom as a tool:
#   PREFIX/bin/driverdom            the release build of the CLI
#   PREFIX/share/driverdom/         its built-in Boards/, Layers/, Images/, the license
#                                   policy, and the package (Package.swift, Sources/, …)
#                                   it cross-compiles backends, the init and probes from
# The installed binary finds share/driverdom next to its own path (not the working
# directory), so it runs from any folder, e.g. a product repo with a driverdom.yaml.
#
# Usage: Scripts/install.sh [--binary FILE] PREFIX
#   --binary FILE   install FILE instead of building (e.g. an already built .build/debug/driverdom)
# Environment: SWIFT (default: swift on PATH).
set -euo pipefail

usage() { echo "usage: $0 [--binary FILE] PREFIX" >&2; exit 2; }
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) [ $# -ge 2 ] || usage; binary="$2"; shift 2 ;;
    -h|--help) sed -n '3,15p' "$0"; exit 0 ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || usage
prefix="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
swift="${SWIFT:-swift}"

if [ -z "$binary" ]; then
  "$swift" build --package-path "$root" -c release --product driverdom
  binary="$("$swift" build --package-path "$root" -c release --show-bin-path)/driverdom"
fi
[ -x "$binary" ] || { echo "$0: no executable driverdom at $binary" >&2; exit 1; }

# What the built-in collection and the cross builds read; everything else (.build, .git) stays.
items=(Package.swift Package.resolved Sources Tests Benchmarks Boards Layers Images
       LICENSE LICENSES REUSE.toml license-policy.yaml)

mkdir -p "$prefix/bin" "$prefix/share"
share="$prefix/share/driverdom"
staging="$(mktemp -d "$prefix/share/.driverdom.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
for item in "${items[@]}"; do
  [ -e "$root/$item" ] || continue
  cp -R "$root/$item" "$staging/$item"
done
chmod 755 "$staging"
# Swap the whole tree in, then the binary (both by rename, so a failed install leaves the old one).
if [ -e "$share" ]; then
  old="$(mktemp -d "$prefix/share/.driverdom-old.XXXXXX")"
  mv "$share" "$old/driverdom"
  mv "$staging" "$share"
  rm -rf "$old"
else
  mv "$staging" "$share"
fi
cp "$binary" "$prefix/bin/.driverdom.new"
chmod 755 "$prefix/bin/.driverdom.new"
mv "$prefix/bin/.driverdom.new" "$prefix/bin/driverdom"
echo "installed $prefix/bin/driverdom (built-in boards, layers and sources in $share)"
