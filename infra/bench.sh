#!/usr/bin/env bash
# Runs a benchmark and prints its figures: infra/bench.sh unlock-latency [--commands 1000]
# Uses the test PostgreSQL cluster (installed and started if needed) and a fresh database, dropped afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source infra/lib/postgres.sh

ensure_packages postgresql postgresql-client
start_test_cluster "$root"
dotnet run -c Release --project benchmarks/BackOffice.Benchmarks/BackOffice.Benchmarks.csproj -- "$@"
