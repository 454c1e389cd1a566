#!/usr/bin/env bash
# Runs every test: unit, integration (real PostgreSQL, a fresh database per test class) and browser tests
# (Playwright driving Debian's Chromium against the real app on a loopback port). Installs what it needs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source infra/lib/postgres.sh

ensure_packages postgresql postgresql-client chromium fonts-dejavu-core poppler-utils
# A real Modbus TCP/RTU server (pymodbus; serial-asyncio for RTU) and pseudo-terminal pairs (socat) for the bridge's Modbus driver tests.
ensure_packages python3-pymodbus python3-serial-asyncio socat
start_test_cluster "$root"
# Microsoft's JavaScript SignalR client, for the test that proves the bridge protocol works from it.
command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
(cd tests/js-bridge-client && npm ci --no-audit --no-fund --loglevel=error)
export BACKOFFICE_CHROMIUM="${BACKOFFICE_CHROMIUM:-/usr/bin/chromium}"
# The repository's local tools (dotnet ef), pinned in .config/dotnet-tools.json. SchemaTests asks what
# `dotnet ef migrations has-pending-model-changes` would, so the tool itself is not needed for the tests.
dotnet tool restore >/dev/null

log="$(mktemp)"
set +e
dotnet test BackOffice.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One summary line over all test projects, in the plain form CI reads.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
