#!/usr/bin/env bash
# Starts the back office on a fresh Debian machine: PostgreSQL (installed and started if needed), EF Core migrations,
# Development demo data, the web app on http://127.0.0.1:5080, and a simulated box bridge for DLZ-1 so the box is
# live. Safe to run again: it reuses what is there. Ctrl+C stops the app and the bridge.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source infra/lib/postgres.sh

port="${BACKOFFICE_DEV_PG_PORT:-55432}"
password="backoffice-dev"
url="${BACKOFFICE_URL:-http://127.0.0.1:5080}"

ensure_packages postgresql postgresql-client curl
start_cluster "$root/.data/postgres" "$port" "$password"
ensure_database "$port" "$password" backoffice
# A development database from before EF Core migrations (issue 16) holds demo data only: rebuilt, not migrated
# (docs/decisions/0020-ef-core-migrations.md). The simulated bridge's journal belongs to that database's commands.
if made_by_script_runner "$port" "$password" backoffice; then
  echo "The development database was made by the old SQL-script migrations: rebuilding it with EF Core's migrations (demo data) ..."
  recreate_database "$port" "$password" backoffice
  rm -f "$root/.data/bridge/dlz-1-queue.jsonl"
fi

export ASPNETCORE_ENVIRONMENT=Development
# The key ring that encrypts personal data lives with the database, not in a build folder a clean build would wipe.
export DataProtection__KeyRingPath="$root/.data/keys"
export ConnectionStrings__BackOffice="Host=127.0.0.1;Port=$port;Database=backoffice;Username=postgres;Password=$password"

# The repository's local tools (dotnet ef, for migrations), pinned in .config/dotnet-tools.json.
dotnet tool restore >/dev/null
dotnet build src/BackOffice.Web/BackOffice.Web.csproj -c Debug -nologo -v quiet
dotnet build src/BackOffice.Bridge/BackOffice.Bridge.csproj -c Debug -nologo -v quiet

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

dotnet run --no-build --project src/BackOffice.Web/BackOffice.Web.csproj -- --urls "$url" &
pids+=($!)

# The simulated bridge of DLZ-1 connects once the app answers (its Development key is seeded with the demo data).
for _ in $(seq 1 120); do
  curl -sf "$url/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
mkdir -p "$root/.data/bridge"
Bridge__ServerUrl="$url" \
Bridge__BoxKey="abx1_development-only-key-for-DLZ-1-000000000" \
Bridge__QueuePath="$root/.data/bridge/dlz-1-queue.jsonl" \
Bridge__LockDriver=Simulator \
Bridge__Panel__Url="${BACKOFFICE_PANEL_URL:-http://127.0.0.1:5090}" \
  dotnet run --no-build --project src/BackOffice.Bridge/BackOffice.Bridge.csproj &
pids+=($!)

echo
echo "Ausgabebox Back Office: open $url and sign in (demo accounts: see README.md)."
echo "A simulated bridge keeps box DLZ-1 online; its pickup panel: ${BACKOFFICE_PANEL_URL:-http://127.0.0.1:5090}. Ctrl+C stops both."
echo
wait "${pids[0]}"
