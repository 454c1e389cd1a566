#!/usr/bin/env bash
# Proves the README's commands work from a checkout in a private folder (mode 0700, like a home folder), where the
# postgres user cannot enter: clones this repository's HEAD there, runs `infra/run.sh` until the app answers ready and
# the demo data is in, and starts the test command's PostgreSQL cluster from the same checkout. Cleans up after itself.
# Part of infra/test.sh; ports differ from the usual ones so a running product or test cluster is not disturbed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/infra/lib/postgres.sh"

private="$(mktemp -d)" # mktemp makes it 0700
chmod 700 "$private"
clone="$private/checkout"
dev_port=55480 test_port=55481 url=http://127.0.0.1:5180 panel=http://127.0.0.1:5190
run_pid=""
stop_cluster() {
  local dir
  dir="$(cluster_dir "$1")"
  [ -f "$dir/PG_VERSION" ] || return 0
  as_postgres "$(pg_bin)/pg_ctl" -D "$dir" stop -m fast >/dev/null 2>&1 || true
  rm -rf "$dir"
}
cleanup() {
  if [ -n "$run_pid" ]; then kill -- -"$run_pid" 2>/dev/null || kill "$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; fi
  stop_cluster "$clone/.data/postgres"
  stop_cluster "$clone/.data/postgres-test"
  rm -rf "$private"
}
trap cleanup EXIT

git clone --quiet "$root" "$clone"
echo "Checkout in a private folder: $clone ($(stat -c %a "$private"))"

# The run command: in its own process group, so the app and bridge it starts stop with it.
set -m
BACKOFFICE_DEV_PG_PORT=$dev_port BACKOFFICE_URL=$url BACKOFFICE_PANEL_URL=$panel \
  "$clone/infra/run.sh" >"$private/run.log" 2>&1 &
run_pid=$!
set +m
ready=""
for _ in $(seq 1 600); do
  if curl -sf "$url/health/ready" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$run_pid" 2>/dev/null || break
  sleep 1
done
if [ -z "$ready" ]; then
  echo "infra/run.sh from a private folder did not bring the app up:" >&2
  tail -30 "$private/run.log" >&2
  exit 1
fi
compartments=$(PGPASSWORD=backoffice-dev psql -h 127.0.0.1 -p $dev_port -U postgres -d backoffice -tAc \
  "SELECT count(*) FROM compartments")
if [ "$compartments" -lt 600 ]; then
  echo "The demo data is missing: $compartments compartments." >&2
  exit 1
fi
echo "infra/run.sh: app ready at $url, $compartments compartments, cluster in $(cluster_dir "$clone/.data/postgres")"

# The test command's cluster, from the same checkout.
BACKOFFICE_TEST_PG_PORT=$test_port start_test_cluster "$clone"
PGPASSWORD=backoffice-test psql -h 127.0.0.1 -p $test_port -U postgres -d postgres -tAc "SELECT 1" >/dev/null
echo "infra/test.sh's cluster: running in $(cluster_dir "$clone/.data/postgres-test")"
echo "private-clone check passed"
