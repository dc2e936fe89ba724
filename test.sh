#!/usr/bin/env bash
# Runs every test of the portal (unit, bUnit, integration, end-to-end with Chromium) and ends with
# one line of totals: "N passed, N failed". Installs Debian's Chromium when it is missing, and fetches axe-core (npm)
# for the accessibility scan.
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

# The end-to-end accessibility scan (AccessibilityTests) injects axe-core into the pages: fetched once from npm, at the
# pinned version, into a git-ignored folder (AXE_CORE_PATH points the tests to another axe.min.js instead).
AXE_CORE_VERSION="4.14.1"
axe_dir="tests/Portal.E2E.Tests/.axe"
if [ -z "${AXE_CORE_PATH:-}" ] && [ "$(cat "$axe_dir/VERSION" 2>/dev/null)" != "$AXE_CORE_VERSION" ]; then
  echo "Fetching axe-core $AXE_CORE_VERSION from npm (accessibility scan)..."
  axe_tmp=$(mktemp -d)
  # npm when it is there; else the same tarball straight from the npm registry with curl (a fresh Debian has no npm).
  if { if command -v npm >/dev/null 2>&1; then (cd "$axe_tmp" && npm pack "axe-core@$AXE_CORE_VERSION" --silent >/dev/null 2>&1);
       else curl -fsSL -o "$axe_tmp/axe-core-$AXE_CORE_VERSION.tgz" "https://registry.npmjs.org/axe-core/-/axe-core-$AXE_CORE_VERSION.tgz"; fi; } \
    && rm -rf "$axe_dir" && mkdir -p "$axe_dir" \
    && tar -xzf "$axe_tmp/axe-core-$AXE_CORE_VERSION.tgz" -C "$axe_dir" --strip-components=1 package/axe.min.js package/LICENSE; then
    echo "$AXE_CORE_VERSION" > "$axe_dir/VERSION"
  else
    echo "Could not fetch axe-core $AXE_CORE_VERSION with npm (is the npm registry reachable?)"; rm -rf "$axe_tmp"; exit 1
  fi
  rm -rf "$axe_tmp"
fi

# The test processes and the servers they start are short-lived: the JIT's profile-guided tier (instrumented code, then
# a recompile) costs them more than it returns. Off, the application tests took 68 s of CPU instead of 82 s (alone).
export DOTNET_TieredPGO=0

results="TestResults"
rm -rf "$results"
rm -f tests/Portal.E2E.Tests/bin/*/*/server-errors.log
dotnet tool restore >/dev/null
# One build, then the test projects: the end-to-end project (a browser and its servers, much of it waiting on them) runs
# beside the others, which run one after the other; its output follows theirs. CI has 2 cores and 15 minutes (README).
# Not two balanced lanes: with the end-to-end and the integration projects side by side all along, three clean-clone
# runs out of three had a test time out (and took 775 to 1,052 s). This way, with the integration project running three
# tests at once, its longest first (xunit.runner.json, LongestFirst.cs), and DOTNET_TieredPGO=0, clean-clone runs took
# 524 to 806 s, all green (807 to 951 s before; the same commit's time varies that much on this VM).
dotnet build Portal.sln -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
run_tests() { dotnet test "tests/$1" --no-build --logger "trx;LogFileName=$1.trx" --results-directory "$results" "${@:2}"; }
e2e_log=$(mktemp)
run_tests Portal.E2E.Tests "$@" >"$e2e_log" 2>&1 &
e2e_pid=$!
status=0
for project in Portal.Domain.Tests Portal.Application.Tests Portal.Web.Tests Portal.IntegrationTests; do
  run_tests "$project" "$@" || status=1
done
wait "$e2e_pid" || status=1
cat "$e2e_log"; rm -f "$e2e_log"

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

# When a test failed, the end-to-end server's errors (their exception lines) come before the totals: CI keeps only the output.
if [ "$failed" -ne 0 ]; then
  for log in tests/Portal.E2E.Tests/bin/*/*/server-errors.log; do
    [ -f "$log" ] || continue
    echo "--- errors of the end-to-end server ($log), last 60 lines of exceptions:"
    grep -E "^[0-9:.]+ (Error|Critical)|Exception|^   at Portal\." "$log" | tail -n 60
  done
fi
echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
