# Shared by run.sh and test.sh: a project-local PostgreSQL cluster from Debian's packages, on loopback only.
# Source it; then call ensure_packages, start_cluster and ensure_database.

# Installs Debian packages that are missing (apt-get update only when something must be installed).
ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}" >&2
    return 1
  fi
  echo "Installing ${missing[*]} from Debian's packages ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_postgres() {
  # From /: the postgres user may not be allowed into the caller's folder (a checkout in a private home folder).
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Where a cluster meant for DATA_DIR lives. PostgreSQL runs as the postgres user, who cannot enter a checkout inside a
# private folder (a home folder with mode 0700): then the cluster lives under PostgreSQL's own folder instead, named
# after the checkout's path, so each checkout keeps its own data and running the scripts again finds it.
cluster_dir() {
  local dir="$1" parent
  parent="$(dirname "$dir")"
  mkdir -p "$parent"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$parent" 2>/dev/null; then
    echo "/var/lib/postgresql/backoffice/$(printf '%s' "$dir" | sha1sum | cut -c1-12)-$(basename "$dir")"
  else
    echo "$dir"
  fi
}

# start_cluster DATA_DIR PORT PASSWORD: creates the cluster on first use, starts it if it is not running.
start_cluster() {
  local dir="$1" port="$2" password="$3" bin
  bin="$(pg_bin)"
  [ -n "$bin" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; return 1; }

  dir="$(cluster_dir "$dir")"
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
    if ! as_postgres test -w "$dir"; then
      echo "The postgres user cannot write $dir (a parent folder is not accessible to it)." >&2
      return 1
    fi
    local pwfile
    pwfile="$(mktemp)"
    printf '%s\n' "$password" > "$pwfile"
    [ "$(id -u)" -eq 0 ] && chown postgres "$pwfile"
    as_postgres "$bin/initdb" -D "$dir" -U postgres --pwfile="$pwfile" \
      --auth-host=scram-sha-256 --auth-local=peer --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi

  if as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    return 0
  fi
  echo "Starting PostgreSQL on 127.0.0.1:$port (data in $dir) ..."
  # Our ports lie in Linux's ephemeral range: on a busy machine an outgoing connection can hold the port for a moment,
  # so a refused start is tried again before it counts (the server's log says why).
  local attempt
  for attempt in 1 2 3 4 5; do
    if as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${PG_FSYNC:-on}" start >/dev/null; then
      return 0
    fi
    tail -3 "$dir/server.log" >&2 || true
    [ "$attempt" -lt 5 ] && sleep 2
  done
  return 1
}

# ensure_database PORT PASSWORD NAME
ensure_database() {
  local port="$1" password="$2" name="$3"
  local exists
  exists=$(PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$name'")
  if [ "$exists" != "1" ]; then
    PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
    echo "Created database $name."
  fi
}

# made_by_script_runner PORT PASSWORD NAME: true when the database was made by the SQL-script migrations that EF Core
# migrations replaced (issue 16): it has their history table and not EF's.
made_by_script_runner() {
  local port="$1" password="$2" name="$3"
  [ "$(PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U postgres -d "$name" -tAc \
    "SELECT to_regclass('public.__schema_migrations') IS NOT NULL AND to_regclass('public.\"__EFMigrationsHistory\"') IS NULL")" = "t" ]
}

# recreate_database PORT PASSWORD NAME: drops the database (closing its connections) and creates it empty.
recreate_database() {
  local port="$1" password="$2" name="$3"
  PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
  ensure_database "$port" "$password" "$name"
}

# The throw-away cluster of tests and benchmarks (127.0.0.1:55433, no fsync); exports BACKOFFICE_TEST_POSTGRES.
start_test_cluster() {
  local root="$1" port="${BACKOFFICE_TEST_PG_PORT:-55433}" password="backoffice-test"
  PG_FSYNC=off start_cluster "$root/.data/postgres-test" "$port" "$password"
  export BACKOFFICE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password"
}

# A cluster like production's, with durable commits (fsync on), for benchmarks that name it (127.0.0.1:55434);
# exports BACKOFFICE_TEST_POSTGRES like start_test_cluster.
start_durable_cluster() {
  local root="$1" port="${BACKOFFICE_DURABLE_PG_PORT:-55434}" password="backoffice-test"
  PG_FSYNC=on start_cluster "$root/.data/postgres-durable" "$port" "$password"
  export BACKOFFICE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password"
}
