#!/usr/bin/env bash
# Runs a benchmark and prints its figures: infra/bench.sh unlock-latency [--commands 1000]; without a name, the list.
# "database-failover" makes its own primary and standby clusters with infra/backup.sh and infra/standby.sh.
# Uses the test PostgreSQL cluster (installed and started if needed) and a fresh database, dropped afterwards.
# --durable runs it on a PostgreSQL with durable commits (fsync on) instead. "circuits" also needs Chromium and dotnet-gcdump (the repository's local tool, restored here).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source infra/lib/postgres.sh

ensure_packages postgresql postgresql-client
if [[ "${1:-}" == circuits ]]; then
  ensure_packages chromium fonts-dejavu-core
  dotnet tool restore >/dev/null
  export BACKOFFICE_CHROMIUM="${BACKOFFICE_CHROMIUM:-/usr/bin/chromium}"
fi
# --durable: on a cluster with fsync on, as in production (the test cluster runs without it).
if [[ " $* " == *" --durable "* ]]; then
  start_durable_cluster "$root"
else
  start_test_cluster "$root"
fi
dotnet run -c Release --project benchmarks/BackOffice.Benchmarks/BackOffice.Benchmarks.csproj -- "$@"
