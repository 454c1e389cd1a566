# Shared by backup.sh, standby.sh and restore.sh: where the database, its backups and the key ring are, from the
# environment (an operator's /etc/backoffice/backup.env through systemd, see infra/systemd/), with the demo cluster of
# infra/run.sh as the default. Source it after infra/lib/postgres.sh, with $root set to the checkout.

# Settings: BACKOFFICE_PG_HOST/PORT/USER/PASSWORD reach the primary; BACKOFFICE_PG_DATA is its data folder (only for
# the restart that turns archiving on); BACKOFFICE_BACKUP_DIR holds base/ and wal/; BACKOFFICE_KEY_BACKUP_DIR holds the
# key ring's backups and must not be inside the database backup folder (nor the other way round);
# BACKOFFICE_KEY_RING and BACKOFFICE_KEY_CERTIFICATE are DataProtection:KeyRingPath and :CertificatePath;
# BACKOFFICE_KEY_BACKUP_PASSPHRASE_FILE, when set, encrypts each key ring backup (openssl, AES-256, PBKDF2).
backup_settings() {
  BACKOFFICE_PG_HOST="${BACKOFFICE_PG_HOST:-127.0.0.1}"
  BACKOFFICE_PG_PORT="${BACKOFFICE_PG_PORT:-${BACKOFFICE_DEV_PG_PORT:-55432}}"
  BACKOFFICE_PG_USER="${BACKOFFICE_PG_USER:-postgres}"
  BACKOFFICE_PG_PASSWORD="${BACKOFFICE_PG_PASSWORD:-backoffice-dev}"
  BACKOFFICE_PG_DATA="${BACKOFFICE_PG_DATA:-$(cluster_dir "$root/.data/postgres")}"
  # The postgres user writes the WAL archive and base backups: a folder it can reach (see cluster_dir).
  BACKOFFICE_BACKUP_DIR="${BACKOFFICE_BACKUP_DIR:-$(cluster_dir "$root/.data/backup/database")}"
  BACKOFFICE_KEY_BACKUP_DIR="${BACKOFFICE_KEY_BACKUP_DIR:-$root/.data/backup-key-ring}"
  BACKOFFICE_KEY_RING="${BACKOFFICE_KEY_RING:-$root/.data/keys}"
  BACKOFFICE_KEY_CERTIFICATE="${BACKOFFICE_KEY_CERTIFICATE:-}"
  BACKOFFICE_KEY_BACKUP_PASSPHRASE_FILE="${BACKOFFICE_KEY_BACKUP_PASSPHRASE_FILE:-}"
  BACKOFFICE_BACKUP_KEEP="${BACKOFFICE_BACKUP_KEEP:-7}"
  export PGPASSWORD="$BACKOFFICE_PG_PASSWORD"
  # Resolved paths, so the separation check below sees through "..", symlinks and trailing slashes.
  BACKOFFICE_BACKUP_DIR="$(realpath -m "$BACKOFFICE_BACKUP_DIR")"
  BACKOFFICE_KEY_BACKUP_DIR="$(realpath -m "$BACKOFFICE_KEY_BACKUP_DIR")"
  case "$BACKOFFICE_KEY_BACKUP_DIR/" in "$BACKOFFICE_BACKUP_DIR/"*)
    echo "BACKOFFICE_KEY_BACKUP_DIR ($BACKOFFICE_KEY_BACKUP_DIR) is inside the database backup folder: whoever holds both reads every encrypted name. Give it a folder of its own (best another disk or host)." >&2
    return 1 ;;
  esac
  case "$BACKOFFICE_BACKUP_DIR/" in "$BACKOFFICE_KEY_BACKUP_DIR/"*)
    echo "BACKOFFICE_BACKUP_DIR ($BACKOFFICE_BACKUP_DIR) is inside the key ring backup folder: give each its own folder." >&2
    return 1 ;;
  esac
  WAL_ARCHIVE="$BACKOFFICE_BACKUP_DIR/wal"
  BASE_BACKUPS="$BACKOFFICE_BACKUP_DIR/base"
}

# psql on the primary as the configured user: primary_psql SQL
primary_psql() {
  psql -X -v ON_ERROR_STOP=1 -h "$BACKOFFICE_PG_HOST" -p "$BACKOFFICE_PG_PORT" -U "$BACKOFFICE_PG_USER" -d postgres -tAq -c "$1"
}

# A folder the postgres user owns (mode 700): postgres_folder DIR
postgres_folder() {
  mkdir -p "$1"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$1"
    chmod 700 "$1"
  fi
}

# The archive_command: copies a finished WAL segment into the archive under a temporary name, flushes it and renames it,
# so a crash never leaves a half-written segment under the real name; a segment already there counts as archived only
# if it is the same file (PostgreSQL retries after a crash between the copy and its own note).
archive_command_for() {
  local dir="$1"
  printf 'f="%s/%%f"; if [ -f "$f" ]; then cmp -s "%%p" "$f"; else cp "%%p" "$f.part" && sync "$f.part" && mv "$f.part" "$f"; fi' "$dir"
}

# The restore_command of a standby or a point-in-time recovery: the segment from the archive.
restore_command_for() {
  printf 'cp "%s/%%f" "%%p"' "$1"
}

# start_restored_cluster DATA_DIR PORT: starts a cluster made from a base backup (loopback, sockets in /tmp).
start_restored_cluster() {
  local dir="$1" port="$2"
  as_postgres "$(pg_bin)/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 600 \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
}

# copy_base_backup SOURCE_DIR DATA_DIR: a fresh data folder from a plain-format base backup, owned by postgres.
copy_base_backup() {
  local source="$1" dir="$2"
  if [ -e "$dir/PG_VERSION" ]; then
    echo "$dir already holds a cluster: restore into a fresh folder (or remove the old one first)." >&2
    return 1
  fi
  postgres_folder "$dir"
  cp -a "$source/." "$dir/"
  # The archive's own note files belong to the backup, not to the new cluster.
  rm -f "$dir/backup.done" "$dir/backup_manifest"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
  chmod 700 "$dir"
}
