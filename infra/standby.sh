#!/usr/bin/env bash
# A streaming standby of the primary (issue 17), Debian's PostgreSQL:
#   infra/standby.sh create --data DIR --port PORT [--slot NAME] [--synchronous]   base backup of the primary (pg_basebackup -R: standby.signal
#                              and primary_conninfo), a physical replication slot so the primary keeps the WAL the standby
#                              still needs, restore_command from the WAL archive as a fallback; started on 127.0.0.1:PORT;
#                              --synchronous: the primary confirms a commit only once the standby has it (no loss when the
#                              primary dies, but writes wait while the standby is down)
#   infra/standby.sh status --port PORT                             replication as the primary and the standby see it
#   infra/standby.sh promote --data DIR                             makes the standby the primary (pg_ctl promote)
#   infra/standby.sh drop-slot [--slot NAME]                        frees the primary's WAL of a standby that is gone
# Settings (BACKOFFICE_PG_HOST/PORT/PASSWORD of the primary, BACKOFFICE_BACKUP_DIR) as for infra/backup.sh. Promote only
# when the primary is gone for good: it must not come back as a primary (fence it: stop it, take its address away),
# or two primaries take writes. The app finds the new primary by its connection string (README, "Backup, standby and restore").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/infra/lib/postgres.sh"
source "$root/infra/lib/backup.sh"

command="${1:-}"
[ $# -gt 0 ] && shift
data="" port="" slot="backoffice_standby" synchronous=0
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --slot) slot="$2"; shift 2 ;;
    --synchronous) synchronous=1; shift ;;
    *) command="help"; break ;;
  esac
done
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
ensure_packages postgresql postgresql-client
backup_settings
bin="$(pg_bin)"

standby_psql() {
  psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$BACKOFFICE_PG_USER" -d postgres -tAq -c "$1"
}

case "$command" in
  create)
    [ -n "$data" ] && [ -n "$port" ] || usage
    if [ -e "$data/PG_VERSION" ]; then
      echo "$data already holds a cluster: a standby starts from a fresh folder." >&2
      exit 1
    fi
    started=$(date +%s%N)
    primary_psql "SELECT pg_create_physical_replication_slot('$slot') WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '$slot')" >/dev/null
    postgres_folder "$data"
    echo "Base backup of $BACKOFFICE_PG_HOST:$BACKOFFICE_PG_PORT into $data (slot $slot) ..."
    as_postgres env PGPASSWORD="$PGPASSWORD" "$bin/pg_basebackup" -h "$BACKOFFICE_PG_HOST" -p "$BACKOFFICE_PG_PORT" \
      -U "$BACKOFFICE_PG_USER" -D "$data" -X stream -S "$slot" -R -c fast --no-password
    # Streaming first; from the archive when the primary no longer has a segment (after a long outage of the standby).
    printf "restore_command = '%s'\n" "$(restore_command_for "$WAL_ARCHIVE")" | as_postgres tee -a "$data/postgresql.auto.conf" >/dev/null
    start_restored_cluster "$data" "$port"
    for _ in $(seq 1 150); do
      [ "$(primary_psql "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ] && break
      sleep 0.2
    done
    if [ "$synchronous" -eq 1 ]; then
      primary_psql "ALTER SYSTEM SET synchronous_standby_names = '*'"
      primary_psql "SELECT pg_reload_conf()" >/dev/null
      echo "Synchronous replication: a commit on the primary returns once the standby has written it to disk."
    fi
    echo "Standby on 127.0.0.1:$port streams from $BACKOFFICE_PG_HOST:$BACKOFFICE_PG_PORT (ready in $(( ($(date +%s%N) - started) / 1000000 )) ms)."
    echo "App connection string with both (the app follows a promotion without a restart):"
    echo "  Host=$BACKOFFICE_PG_HOST:$BACKOFFICE_PG_PORT,127.0.0.1:$port;Target Session Attributes=primary;Database=backoffice;..."
    ;;
  status)
    [ -n "$port" ] || usage
    echo "Primary $BACKOFFICE_PG_HOST:$BACKOFFICE_PG_PORT sends to:"
    primary_psql "SELECT application_name || ' ' || state || ', replay lag ' || coalesce(replay_lag::text, '0') || ', ' || pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)) || ' behind' FROM pg_stat_replication" || true
    echo "Standby 127.0.0.1:$port: in recovery $(standby_psql "SELECT pg_is_in_recovery()"), last replayed transaction $(standby_psql "SELECT coalesce(pg_last_xact_replay_timestamp()::text, '-')")"
    ;;
  promote)
    [ -n "$data" ] || usage
    started=$(date +%s%N)
    as_postgres "$bin/pg_ctl" -D "$data" -w -t 60 promote >/dev/null
    echo "Promoted $data in $(( ($(date +%s%N) - started) / 1000000 )) ms: it takes writes now (new timeline; it archives into the same WAL archive)."
    echo "Next: keep the old primary down, take a base backup of this one (infra/backup.sh run with BACKOFFICE_PG_PORT of it),"
    echo "and create a new standby from it when a second server is there again."
    ;;
  drop-slot)
    primary_psql "SELECT pg_drop_replication_slot('$slot')" >/dev/null
    echo "Slot $slot dropped."
    ;;
  *) usage ;;
esac
