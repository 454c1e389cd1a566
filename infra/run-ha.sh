#!/usr/bin/env bash
# Starts the back office the way it runs with no single point of failure: PostgreSQL, Redis, two app instances
# (settings files in the layout of infra/systemd), nginx in front of them (infra/nginx, TLS with a demo certificate)
# and a simulated bridge for DLZ-1 connected through nginx. Open https://localhost:8443 (trust the demo CA in
# .data/ha/tls/demo-ca.pem, or accept the warning). Ctrl+C stops everything it started.
# Try a failover: kill -9 the instance named in .data/ha/instance-a.pid; nginx sends everyone to the other, the bridge
# reconnects through nginx, the killed instance is started again after 5 s.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source infra/lib/postgres.sh
source infra/lib/redis.sh
source infra/lib/nginx.sh

data="$root/.data/ha"
pg_port="${BACKOFFICE_DEV_PG_PORT:-55432}"
password="backoffice-dev"
https_port="${BACKOFFICE_HA_HTTPS_PORT:-8443}"
http_port="${BACKOFFICE_HA_HTTP_PORT:-8080}"
ports=(5101 5102)
names=(a b)

ensure_packages postgresql postgresql-client curl nginx redis-server openssl gettext-base
start_cluster "$root/.data/postgres" "$pg_port" "$password"
ensure_database "$pg_port" "$password" backoffice_ha
ensure_redis "$data/redis" "${BACKOFFICE_HA_REDIS_PORT:-6390}"
demo_certificate "$data/tls"
mkdir -p "$data/bridge"

dotnet build src/BackOffice.Web/BackOffice.Web.csproj -c Release -nologo -v quiet
dotnet build src/BackOffice.Bridge/BackOffice.Bridge.csproj -c Release -nologo -v quiet

# The settings of all instances (systemd: /etc/backoffice/web.env); the demo's values instead of production's secrets.
cat > "$data/web.env" <<ENV
ASPNETCORE_ENVIRONMENT=Development
Database__SeedDemoData=true
ConnectionStrings__BackOffice=Host=127.0.0.1;Port=$pg_port;Database=backoffice_ha;Username=postgres;Password=$password
DataProtection__KeyRingPath=$data/keys
Redis__Configuration=$BACKOFFICE_REDIS
ReverseProxy__KnownProxies__0=127.0.0.1
ENV
# Each instance's own (systemd: /etc/backoffice/web-a.env), from the template.
for i in "${!names[@]}"; do
  sed "s|^ASPNETCORE_URLS=.*|ASPNETCORE_URLS=http://127.0.0.1:${ports[$i]}|" infra/systemd/backoffice-web-instance.env.example \
    > "$data/web-${names[$i]}.env"
done

# systemd's EnvironmentFile: KEY=VALUE per line, no shell (a connection string's ';' is part of the value).
load_env_file() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    export "${line%%=*}=${line#*=}"
  done < "$1"
}

app_dir="$root/src/BackOffice.Web/bin/Release/net10.0"
start_instance() {
  local name="$1"
  (
    load_env_file "$data/web.env"
    load_env_file "$data/web-$name.env"
    cd "$app_dir"
    exec dotnet BackOffice.Web.dll >> "$data/instance-$name.log" 2>&1
  ) &
  echo $! > "$data/instance-$name.pid"
}

wait_ready() {
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "The instance on port $1 did not become ready (see $data/instance-*.log)." >&2
  return 1
}

pids=()
cleanup() {
  stop_demo_nginx "$data/nginx"
  for name in "${names[@]}"; do
    [ -f "$data/instance-$name.pid" ] && kill "$(cat "$data/instance-$name.pid")" 2>/dev/null || true
  done
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The first instance migrates and seeds the demo; the second starts on the prepared database.
start_instance a
wait_ready "${ports[0]}"
start_instance b
wait_ready "${ports[1]}"

AUSGABEBOX_UPSTREAMS="127.0.0.1:${ports[0]} 127.0.0.1:${ports[1]}" \
AUSGABEBOX_HTTP_LISTEN="127.0.0.1:$http_port" AUSGABEBOX_HTTPS_LISTEN="127.0.0.1:$https_port" AUSGABEBOX_HTTPS_PORT="$https_port" \
AUSGABEBOX_SERVER_NAME="localhost" \
AUSGABEBOX_TLS_CERTIFICATE="$data/tls/server.pem" AUSGABEBOX_TLS_KEY="$data/tls/server.key" \
  render_nginx_site infra/nginx/ausgabebox.conf.template "$data/ausgabebox.conf"
start_demo_nginx "$data/nginx" "$data/ausgabebox.conf"
curl -sf --cacert "$DEMO_CA" "https://localhost:$https_port/health/ready" >/dev/null

# The simulated bridge of DLZ-1 through nginx, trusting the demo CA (OpenSSL reads SSL_CERT_FILE).
SSL_CERT_FILE="$(demo_trust_bundle "$data/tls")" \
Bridge__ServerUrl="https://localhost:$https_port" \
Bridge__BoxKey="abx1_development-only-key-for-DLZ-1-000000000" \
Bridge__QueuePath="$data/bridge/dlz-1-queue.jsonl" \
Bridge__LockDriver=Simulator \
Bridge__Panel__Url="${BACKOFFICE_PANEL_URL:-http://127.0.0.1:5091}" \
  dotnet src/BackOffice.Bridge/bin/Release/net10.0/BackOffice.Bridge.dll >> "$data/bridge.log" 2>&1 &
pids+=($!)

echo
echo "Ausgabebox Back Office, two instances behind nginx: https://localhost:$https_port (demo accounts: README.md)."
echo "Instances: a on 127.0.0.1:${ports[0]}, b on 127.0.0.1:${ports[1]} (logs in $data). Redis $BACKOFFICE_REDIS."
echo "Failover: kill -9 \$(cat $data/instance-a.pid) — it is started again after 5 s. Ctrl+C stops everything."
echo
# Keeps both instances running, as systemd's Restart=always does.
while true; do
  for name in "${names[@]}"; do
    if ! kill -0 "$(cat "$data/instance-$name.pid")" 2>/dev/null; then
      echo "$(date +%T) instance $name is gone; starting it again in 5 s"
      sleep 5
      start_instance "$name"
    fi
  done
  sleep 1
done
