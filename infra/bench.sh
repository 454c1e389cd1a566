#!/usr/bin/env bash
# Runs a benchmark and prints its figures: infra/bench.sh unlock-latency [--commands 1000]; without a name, the list.
# "database-failover" makes its own primary and standby clusters with infra/backup.sh and infra/standby.sh.
# "failover" also starts Redis and uses nginx (installed here) in front of two app instances.
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
if [[ "${1:-}" == failover ]]; then
  # Redis between the instances, nginx in front (started by the benchmark from infra/nginx), and the demo CA that signs
  # nginx's certificate trusted by the bridge in the benchmark's process (.NET on Linux reads OpenSSL's SSL_CERT_FILE).
  source infra/lib/redis.sh && ensure_redis "$root/.data/redis-bench" "${BACKOFFICE_BENCH_REDIS_PORT:-55489}"
  source infra/lib/nginx.sh && ensure_packages nginx openssl gettext-base
  demo_certificate "$root/.data/bench-tls"
  export SSL_CERT_FILE="$(demo_trust_bundle "$root/.data/bench-tls")"
  export BACKOFFICE_DEMO_TLS="$root/.data/bench-tls"
  dotnet build src/BackOffice.Web/BackOffice.Web.csproj -c Release -nologo -v quiet >/dev/null
fi
# --durable: on a cluster with fsync on, as in production (the test cluster runs without it).
if [[ " $* " == *" --durable "* ]]; then
  start_durable_cluster "$root"
else
  start_test_cluster "$root"
fi
dotnet run -c Release --project benchmarks/BackOffice.Benchmarks/BackOffice.Benchmarks.csproj -- "$@"
