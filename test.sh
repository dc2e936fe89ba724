#!/usr/bin/env bash
# Runs every test of the portal (unit, bUnit, integration, end-to-end with Chromium) and ends with
# one line of totals: "N passed, N failed". Installs Debian's Chromium when it is missing.
# Usage: ./test.sh [extra dotnet test arguments]
set -uo pipefail
cd "$(dirname "$0")"

if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium (end-to-end tests need it)..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || { echo "Could not install chromium with apt-get"; exit 1; }
fi
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

results="TestResults"
rm -rf "$results"
dotnet tool restore >/dev/null
dotnet test Portal.sln --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# Screenshots of the end-to-end journeys are kept beside the results.
find tests -path '*/bin/*/screenshots' -type d -exec cp -r {} "$results/" \; 2>/dev/null

echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
