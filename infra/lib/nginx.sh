# Sourced after postgres.sh (for ensure_packages): nginx in front of the app instances (docs/decisions/0028).
# render_nginx_site renders infra/nginx/ausgabebox.conf.template for an operator or for the demo; the demo functions
# run Debian's nginx as a project-local server on loopback with a self-signed certificate.

# render_nginx_site TEMPLATE OUT: fills in the AUSGABEBOX_* variables (only those: nginx's own $variables stay).
# AUSGABEBOX_UPSTREAMS is a space-separated list of host:port, one per app instance.
render_nginx_site() {
  local template="$1" out="$2" servers="" upstream
  for upstream in ${AUSGABEBOX_UPSTREAMS:?AUSGABEBOX_UPSTREAMS: the app instances, host:port separated by spaces}; do
    servers+="    server $upstream max_fails=1 fail_timeout=10s;"$'\n'
  done
  AUSGABEBOX_UPSTREAM_SERVERS="${servers%$'\n'}" \
  AUSGABEBOX_HTTP_LISTEN="${AUSGABEBOX_HTTP_LISTEN:-80}" \
  AUSGABEBOX_HTTPS_LISTEN="${AUSGABEBOX_HTTPS_LISTEN:-443}" \
  AUSGABEBOX_HTTPS_PORT="${AUSGABEBOX_HTTPS_PORT:-443}" \
  AUSGABEBOX_SERVER_NAME="${AUSGABEBOX_SERVER_NAME:?AUSGABEBOX_SERVER_NAME: the name staff and boxes use}" \
  AUSGABEBOX_TLS_CERTIFICATE="${AUSGABEBOX_TLS_CERTIFICATE:?AUSGABEBOX_TLS_CERTIFICATE: the certificate chain (PEM)}" \
  AUSGABEBOX_TLS_KEY="${AUSGABEBOX_TLS_KEY:?AUSGABEBOX_TLS_KEY: its private key (PEM)}" \
    envsubst '${AUSGABEBOX_UPSTREAM_SERVERS} ${AUSGABEBOX_HTTP_LISTEN} ${AUSGABEBOX_HTTPS_LISTEN} ${AUSGABEBOX_HTTPS_PORT} ${AUSGABEBOX_SERVER_NAME} ${AUSGABEBOX_TLS_CERTIFICATE} ${AUSGABEBOX_TLS_KEY}' \
    < "$template" > "$out"
}

# demo_certificate DIR: a demo CA and a server certificate for localhost and 127.0.0.1 signed by it (kept when there).
# Exports DEMO_CA (the CA's PEM: give it to browsers and bridges as trusted, e.g. SSL_CERT_FILE, see demo_trust_bundle).
demo_certificate() {
  local dir="$1"
  mkdir -p "$dir"
  export DEMO_CA="$dir/demo-ca.pem"
  [ -f "$dir/server.pem" ] && [ -f "$DEMO_CA" ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=Ausgabebox Demo CA" \
    -keyout "$dir/demo-ca.key" -out "$DEMO_CA" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$DEMO_CA" -CAkey "$dir/demo-ca.key" -CAcreateserial -days 825 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" >/dev/null 2>&1
  chmod 600 "$dir/server.key" "$dir/demo-ca.key"
}

# demo_trust_bundle DIR: the system's CAs plus the demo CA in one file; .NET on Linux (OpenSSL) reads SSL_CERT_FILE.
demo_trust_bundle() {
  local dir="$1"
  cat /etc/ssl/certs/ca-certificates.crt "$DEMO_CA" > "$dir/trust-bundle.pem" 2>/dev/null || cp "$DEMO_CA" "$dir/trust-bundle.pem"
  echo "$dir/trust-bundle.pem"
}

# start_demo_nginx DIR SITE: runs nginx with the rendered SITE from a project-local prefix DIR (restarted if running).
start_demo_nginx() {
  local dir="$1" site="$2" temp
  ensure_packages nginx
  mkdir -p "$dir/logs"
  # Worker processes (www-data) write buffered bodies here: outside the checkout, which may be private (0700).
  temp="/tmp/ausgabebox-nginx-$(printf '%s' "$dir" | sha1sum | cut -c1-12)"
  mkdir -p "$temp" && chown www-data "$temp" 2>/dev/null || true
  cat > "$dir/nginx.conf" <<CONF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log $dir/logs/access.log;
  client_body_temp_path $temp/body;
  proxy_temp_path $temp/proxy;
  fastcgi_temp_path $temp/fastcgi;
  uwsgi_temp_path $temp/uwsgi;
  scgi_temp_path $temp/scgi;
  include $site;
}
CONF
  stop_demo_nginx "$dir"
  nginx -t -q -p "$dir" -c "$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf"
}

# stop_demo_nginx DIR: stops the nginx started for DIR, if it runs.
stop_demo_nginx() {
  local dir="$1"
  if [ -f "$dir/nginx.pid" ] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null; then
    nginx -p "$dir" -c "$dir/nginx.conf" -s quit 2>/dev/null || kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -f "$dir/nginx.pid" ] || break; sleep 0.1; done
  fi
}
