#!/usr/bin/env bash
# Point-in-time recovery into a fresh cluster, and the key ring back beside it (issue 17):
#   infra/restore.sh --target-time "2026-12-02 21:30:00+00" --data DIR --port PORT [--key-ring-to DIR] [--archive]
#   infra/restore.sh --latest --data DIR --port PORT ...        (everything the WAL archive holds)
# Takes the newest base backup that ended before the target, replays the archived WAL up to the target
# (restore_command, recovery_target_time), promotes the cluster and starts it on 127.0.0.1:PORT; unpacks the newest key
# ring backup (keys are only ever added, so it reads every older moment too) into --key-ring-to (default DIR-key-ring);
# prints how long it took and the settings that point the app at both. The restored cluster does not archive unless
# --archive: a trial restore must not write a new timeline into the archive the production cluster relies on.
# Settings (BACKOFFICE_BACKUP_DIR, BACKOFFICE_KEY_BACKUP_DIR, ...) as for infra/backup.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/infra/lib/postgres.sh"
source "$root/infra/lib/backup.sh"

target_time="" latest=0 data="" port="" keys_to="" archive=0
while [ $# -gt 0 ]; do
  case "$1" in
    --target-time) target_time="$2"; shift 2 ;;
    --latest) latest=1; shift ;;
    --data) data="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --key-ring-to) keys_to="$2"; shift 2 ;;
    --archive) archive=1; shift ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
if [ -z "$data" ] || [ -z "$port" ] || { [ -z "$target_time" ] && [ "$latest" -eq 0 ]; }; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
ensure_packages postgresql postgresql-client openssl
backup_settings
bin="$(pg_bin)"
started=$(date +%s%N)
keys_to="${keys_to:-$data-key-ring}"

# The base backup: the newest one that ended before the target (any base backup for --latest).
target_epoch=""
[ -n "$target_time" ] && target_epoch=$(date -d "$target_time" +%s.%N)
base=""
for dir in $(find "$BASE_BACKUPS" -mindepth 1 -maxdepth 1 -type d -name '2*Z' | sort -r); do
  [ -f "$dir/backup.done" ] || continue
  if [ -z "$target_epoch" ] || awk -v a="$(date -d "$(cat "$dir/backup.done")" +%s.%N)" -v b="$target_epoch" 'BEGIN { exit !(a < b) }'; then
    base="$dir"
    break
  fi
done
if [ -z "$base" ]; then
  echo "No base backup in $BASE_BACKUPS ended before ${target_time:-now}: nothing to restore from." >&2
  exit 1
fi
echo "Restoring base backup $(basename "$base") (ended $(cat "$base/backup.done")) into $data ..."
copy_base_backup "$base" "$data"

# Recovery settings: later lines of postgresql.auto.conf win over the primary's ones copied with the backup.
{
  echo "# infra/restore.sh $(date -u +%FT%TZ)"
  echo "restore_command = '$(restore_command_for "$WAL_ARCHIVE")'"
  if [ -n "$target_time" ]; then
    echo "recovery_target_time = '$target_time'"
  fi
  echo "recovery_target_action = 'promote'"
  [ "$archive" -eq 1 ] || echo "archive_mode = 'off'"
} | as_postgres tee -a "$data/postgresql.auto.conf" >/dev/null
as_postgres touch "$data/recovery.signal"

echo "Replaying the WAL archive $WAL_ARCHIVE up to ${target_time:-its end} ..."
if ! start_restored_cluster "$data" "$port"; then
  echo "The restored cluster did not start (a target time after the last archived commit ends recovery with an error):" >&2
  tail -n 12 "$data/server.log" >&2
  exit 1
fi
restored="Host=127.0.0.1;Port=$port;Username=$BACKOFFICE_PG_USER;Password=$BACKOFFICE_PG_PASSWORD"
for _ in $(seq 1 600); do
  state="$(psql -X -h 127.0.0.1 -p "$port" -U "$BACKOFFICE_PG_USER" -d postgres -tAqc "SELECT pg_is_in_recovery()" 2>/dev/null || true)"
  [ "$state" = f ] && break
  if ! as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    echo "The restored cluster stopped during recovery:" >&2
    tail -n 20 "$data/server.log" >&2
    exit 1
  fi
  sleep 0.2
done
if [ "$state" != f ]; then
  echo "The restored cluster did not finish recovery in 120 s; see $data/server.log." >&2
  exit 1
fi
replayed="$(psql -X -h 127.0.0.1 -p "$port" -U "$BACKOFFICE_PG_USER" -d postgres -tAqc "SELECT pg_last_xact_replay_timestamp()")"
database_ms=$(( ($(date +%s%N) - started) / 1000000 ))

# The key ring: the newest backup, decrypted with the passphrase file when it was encrypted.
key_backup="$(find "$BACKOFFICE_KEY_BACKUP_DIR" -maxdepth 1 -name 'key-ring-*.tar.gz*' ! -name '*.part' -printf '%p\n' 2>/dev/null | sort | tail -n 1)"
if [ -z "$key_backup" ]; then
  echo "No key ring backup in $BACKOFFICE_KEY_BACKUP_DIR: the database is back, but its personal data cannot be read without the key ring." >&2
  exit 1
fi
if [ -e "$keys_to/keys" ]; then
  echo "$keys_to/keys already exists: give --key-ring-to a fresh folder." >&2
  exit 1
fi
mkdir -p "$keys_to"
chmod 700 "$keys_to"
case "$key_backup" in
  *.enc)
    [ -n "$BACKOFFICE_KEY_BACKUP_PASSPHRASE_FILE" ] || { echo "$key_backup is encrypted: set BACKOFFICE_KEY_BACKUP_PASSPHRASE_FILE." >&2; exit 1; }
    openssl enc -d -aes-256-cbc -pbkdf2 -iter 200000 -pass "file:$BACKOFFICE_KEY_BACKUP_PASSPHRASE_FILE" -in "$key_backup" | tar -C "$keys_to" -xzf - ;;
  *) tar -C "$keys_to" -xzf "$key_backup" ;;
esac
total_ms=$(( ($(date +%s%N) - started) / 1000000 ))

echo
echo "Restored in $total_ms ms (database $database_ms ms): last transaction replayed ${replayed:-none after the base backup}."
echo "Key ring from $(basename "$key_backup") in $keys_to."
echo "Point the app at them (environment, e.g. /etc/backoffice/backoffice.env) and start it:"
echo "  ConnectionStrings__BackOffice=\"${restored/Password=*/Password=…};Database=backoffice\""
echo "  DataProtection__KeyRingPath=$keys_to/keys"
[ -f "$keys_to/certificate.pfx" ] && echo "  DataProtection__CertificatePath=$keys_to/certificate.pfx   (its password as before)"
[ "$archive" -eq 1 ] || echo "This cluster does not archive WAL: once it is the product's database, run infra/backup.sh setup and infra/backup.sh run against it."
echo "RESTORE_MS=$total_ms"
