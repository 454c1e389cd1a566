#!/usr/bin/env bash
# Starts the back office on a fresh Debian machine: PostgreSQL (installed and started if needed), migrations,
# Development demo data, and the web app on http://127.0.0.1:5080. Safe to run again: it reuses what is there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source infra/lib/postgres.sh

port="${BACKOFFICE_DEV_PG_PORT:-55432}"
password="backoffice-dev"
url="${BACKOFFICE_URL:-http://127.0.0.1:5080}"

ensure_packages postgresql postgresql-client
start_cluster "$root/.data/postgres" "$port" "$password"
ensure_database "$port" "$password" backoffice

export ASPNETCORE_ENVIRONMENT=Development
export ConnectionStrings__BackOffice="Host=127.0.0.1;Port=$port;Database=backoffice;Username=postgres;Password=$password"

dotnet build src/BackOffice.Web/BackOffice.Web.csproj -c Debug -nologo -v quiet
echo
echo "Ausgabebox Back Office: open $url and sign in (demo accounts: see README.md). Ctrl+C stops it."
echo
exec dotnet run --no-build --project src/BackOffice.Web/BackOffice.Web.csproj -- --urls "$url"
