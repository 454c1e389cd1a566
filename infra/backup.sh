#!/usr/bin/env bash
# Backups of the database and the key ring (issue 17): nothing lost when a disk dies.
#   infra/backup.sh setup     turns on continuous WAL archiving into $BACKOFFICE_BACKUP_DIR/wal (ALTER SYSTEM; restarts
#                             the cluster when BACKOFFICE_PG_DATA is a local data folder, else says to restart it)
#   infra/backup.sh run       a base backup (pg_basebackup, verified) into $BACKOFFICE_BACKUP_DIR/base, older ones and
#                             the WAL only they needed removed (keeps BACKOFFICE_BACKUP_KEEP), then the key ring backup
#   infra/backup.sh database  only the base backup;  infra/backup.sh key-ring  only the key ring backup
#   infra/backup.sh list      what there is to restore from
# Settings from the environment (infra/lib/backup.sh; the operator's file is infra/systemd/backoffice-backup.env.example);
# without any, the demo cluster of infra/run.sh. The systemd timer in infra/systemd/ runs "run" every night.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/infra/lib/postgres.sh"
source "$root/infra/lib/backup.sh"

ensure_packages postgresql postgresql-client openssl
backup_settings
bin="$(pg_bin)"

setup() {
  postgres_folder "$BACKOFFICE_BACKUP_DIR"
  postgres_folder "$WAL_ARCHIVE"
  postgres_folder "$BASE_BACKUPS"
  local command
  command="$(archive_command_for "$WAL_ARCHIVE")"
  # In postgresql.auto.conf, so base backups, the standby and restored clusters carry the same settings. A standby
  # archives only once promoted; a slot never holds more than 10 GB of WAL for a standby that is gone.
  primary_psql "ALTER SYSTEM SET wal_level = 'replica'"
  primary_psql "ALTER SYSTEM SET archive_mode = 'on'"
  primary_psql "ALTER SYSTEM SET archive_command = '$command'"
  primary_psql "ALTER SYSTEM SET archive_timeout = '${BACKOFFICE_ARCHIVE_TIMEOUT:-5min}'"
  primary_psql "ALTER SYSTEM SET max_slot_wal_keep_size = '10GB'"
  primary_psql "SELECT pg_reload_conf()" >/dev/null
  if [ "$(primary_psql "SHOW archive_mode")" = on ]; then
    echo "WAL archiving was already on; archive_command now copies into $WAL_ARCHIVE."
  elif [ -f "$BACKOFFICE_PG_DATA/postmaster.pid" ] || as_postgres test -f "$BACKOFFICE_PG_DATA/postmaster.pid" 2>/dev/null; then
    echo "Restarting PostgreSQL ($BACKOFFICE_PG_DATA) to turn archive_mode on ..."
    as_postgres "$bin/pg_ctl" -D "$BACKOFFICE_PG_DATA" -m fast -w -t 120 restart >/dev/null
  else
    echo "archive_mode takes effect after a restart of PostgreSQL (systemctl restart postgresql)." >&2
  fi
  echo "WAL archiving into $WAL_ARCHIVE is set up; take a base backup now: infra/backup.sh run"
}

# The base backup: plain format with its WAL (-X stream), so each one is complete on its own, checked by
# pg_verifybackup; written under a .part name and renamed when done, with the time it ended in backup.done (restore.sh
# picks the newest one that ended before the target time).
database_backup() {
  postgres_folder "$BASE_BACKUPS"
  local name target started
  name="$(date -u +%Y%m%dT%H%M%SZ)"
  target="$BASE_BACKUPS/$name"
  started=$(date +%s%N)
  echo "Base backup of $BACKOFFICE_PG_HOST:$BACKOFFICE_PG_PORT into $target ..."
  as_postgres env PGPASSWORD="$PGPASSWORD" "$bin/pg_basebackup" -h "$BACKOFFICE_PG_HOST" -p "$BACKOFFICE_PG_PORT" \
    -U "$BACKOFFICE_PG_USER" -D "$target.part" -X stream -c fast --label "backoffice $name" --no-password
  as_postgres "$bin/pg_verifybackup" -q "$target.part"
  date -u +%Y-%m-%dT%H:%M:%S.%NZ | as_postgres tee "$target.part/backup.done" >/dev/null
  mv "$target.part" "$target"
  echo "Base backup $name done in $(( ($(date +%s%N) - started) / 1000000 )) ms ($(du -sh "$target" | cut -f1))."
  prune_database_backups
}

# Keeps the newest BACKOFFICE_BACKUP_KEEP base backups and the WAL from the oldest of them on (pg_archivecleanup):
# every moment since that backup stays restorable.
prune_database_backups() {
  local all oldest wal
  mapfile -t all < <(find "$BASE_BACKUPS" -mindepth 1 -maxdepth 1 -type d -name '2*Z' -printf '%f\n' | sort)
  local count=${#all[@]}
  if [ "$count" -gt "$BACKOFFICE_BACKUP_KEEP" ]; then
    for name in "${all[@]:0:$((count - BACKOFFICE_BACKUP_KEEP))}"; do
      echo "Removing base backup $name (keeping $BACKOFFICE_BACKUP_KEEP)."
      rm -rf "${BASE_BACKUPS:?}/$name"
    done
    all=("${all[@]:$((count - BACKOFFICE_BACKUP_KEEP))}")
  fi
  oldest="${all[0]:-}"
  [ -n "$oldest" ] || return 0
  wal="$(sed -n 's/^START WAL LOCATION: .*(file \([0-9A-F]*\))$/\1/p' "$BASE_BACKUPS/$oldest/backup_label")"
  [ -n "$wal" ] && as_postgres "$bin/pg_archivecleanup" "$WAL_ARCHIVE" "$wal"
}

# The key ring folder and its certificate as one archive in their own folder, never beside the database backup:
# whoever holds both holds every name, birth date and phone number. Encrypted with the passphrase file when one is set.
key_ring_backup() {
  if [ ! -d "$BACKOFFICE_KEY_RING" ]; then
    echo "No key ring at $BACKOFFICE_KEY_RING (BACKOFFICE_KEY_RING): nothing to back up." >&2
    return 1
  fi
  mkdir -p "$BACKOFFICE_KEY_BACKUP_DIR"
  chmod 700 "$BACKOFFICE_KEY_BACKUP_DIR"
  local name staging file
  name="key-ring-$(date -u +%Y%m%dT%H%M%SZ)"
  staging="$(mktemp -d)"
  cp -a "$BACKOFFICE_KEY_RING" "$staging/keys"
  if [ -n "$BACKOFFICE_KEY_CERTIFICATE" ]; then
    cp "$BACKOFFICE_KEY_CERTIFICATE" "$staging/certificate.pfx"
  fi
  file="$BACKOFFICE_KEY_BACKUP_DIR/$name.tar.gz"
  umask 077
  if [ -n "$BACKOFFICE_KEY_BACKUP_PASSPHRASE_FILE" ]; then
    file="$file.enc"
    tar -C "$staging" -czf - . | openssl enc -aes-256-cbc -pbkdf2 -iter 200000 -salt \
      -pass "file:$BACKOFFICE_KEY_BACKUP_PASSPHRASE_FILE" -out "$file.part"
  else
    echo "Warning: BACKOFFICE_KEY_BACKUP_PASSPHRASE_FILE is not set; the key ring backup is not encrypted (only the folder's permissions protect it)." >&2
    tar -C "$staging" -czf "$file.part" .
  fi
  sync "$file.part"
  mv "$file.part" "$file"
  echo "Key ring backup: $file ($(find "$staging/keys" -name 'key-*.xml' | wc -l) keys$([ -n "$BACKOFFICE_KEY_CERTIFICATE" ] && echo ', certificate'))."
  rm -rf "$staging"
  # Keys are only ever added, so the newest backup restores every older moment too; a month of them is plenty.
  find "$BACKOFFICE_KEY_BACKUP_DIR" -maxdepth 1 -name 'key-ring-*.tar.gz*' -printf '%f\n' | sort | head -n -30 |
    while read -r old; do rm -f "${BACKOFFICE_KEY_BACKUP_DIR:?}/$old"; done
}

list() {
  echo "Base backups in $BASE_BACKUPS (ended at):"
  for dir in "$BASE_BACKUPS"/2*Z; do
    [ -f "$dir/backup.done" ] && printf '  %s  %s\n' "$(basename "$dir")" "$(cat "$dir/backup.done")"
  done
  echo "WAL archive $WAL_ARCHIVE: $(find "$WAL_ARCHIVE" -maxdepth 1 -type f -name '0*' ! -name '*.part' 2>/dev/null | wc -l) files, newest $(find "$WAL_ARCHIVE" -maxdepth 1 -type f -name '0*' ! -name '*.part' -printf '%f\n' 2>/dev/null | sort | tail -n 1)"
  echo "Key ring backups in $BACKOFFICE_KEY_BACKUP_DIR:"
  find "$BACKOFFICE_KEY_BACKUP_DIR" -maxdepth 1 -name 'key-ring-*.tar.gz*' -printf '  %f\n' 2>/dev/null | sort
}

case "${1:-}" in
  setup) setup ;;
  run) database_backup; key_ring_backup ;;
  database) database_backup ;;
  key-ring) key_ring_backup ;;
  list) list ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
