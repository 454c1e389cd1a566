# Sourced after postgres.sh (for ensure_packages): Debian's Redis (7.0), the SignalR backplane and the channel between
# app instances (docs/decisions/0025). A project-local server on loopback, no persistence: nothing in it outlives a
# restart on purpose (connections and live changes only; the database holds every fact).

# ensure_redis DIR PORT: installs redis-server if missing, starts a server for DIR on 127.0.0.1:PORT unless one answers
# there already; exports BACKOFFICE_REDIS (host:port, the value of Redis:Configuration).
ensure_redis() {
  local dir="$1" port="$2"
  ensure_packages redis-server
  export BACKOFFICE_REDIS="127.0.0.1:$port"
  if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
    return 0
  fi
  mkdir -p "$dir"
  echo "Starting Redis on 127.0.0.1:$port (files in $dir) ..."
  # Debian's package also starts its own service on 6379 where systemd runs; this one is the project's, beside it.
  redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save '' --appendonly no
  local tries=0
  until redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 50 ] || { echo "Redis did not start on 127.0.0.1:$port (see $dir/redis.log)" >&2; return 1; }
    sleep 0.1
  done
}

# The tests' Redis (127.0.0.1:55479 unless BACKOFFICE_TEST_REDIS_PORT says otherwise); exports BACKOFFICE_TEST_REDIS.
start_test_redis() {
  local root="$1"
  ensure_redis "$root/.data/redis-test" "${BACKOFFICE_TEST_REDIS_PORT:-55479}"
  export BACKOFFICE_TEST_REDIS="$BACKOFFICE_REDIS"
}

# stop_redis DIR: stops the server started for DIR, if it runs.
stop_redis() {
  local pidfile="$1/redis.pid"
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
}
