#!/usr/bin/env bash
# Runs every test of FreeBind.NET and ends with one line "N passed, N failed".
# Installs Azurite (npm) first, because the storage and job tests start it on loopback ports.
set -uo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }

# Debian packages from debian-packages.txt (redis-server for the Redis clustering test). Without
# root or apt-get nothing is installed, and the tests that need a missing package fail naming it.
missing=$(grep -Ev '^\s*(#|$)' debian-packages.txt | while read -r package; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || echo "$package"
done | tr '\n' ' ')
if [ -n "${missing// /}" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "installing Debian packages: $missing"
        apt-get update -qq && apt-get install -y -qq $missing || echo "installing $missing failed"
    else
        echo "missing Debian packages (run as root to install them): $missing"
    fi
fi

log=$(mktemp)
dotnet test FreeBind.sln 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one summary per test assembly, e.g.
# "Passed!  - Failed:     0, Passed:    42, Skipped:     1, Total:    43, Duration: 9 s - X.dll".
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
summaries=$(grep -Ec '^(Passed|Failed)! ' "$log")
rm -f "$log"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # The build failed or a test host crashed before reporting: count it as a failure.
    failed=1
fi
if [ "$summaries" -lt 2 ] && [ "$failed" -eq 0 ]; then
    echo "expected 2 test assemblies, saw $summaries summaries"
    failed=1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
