# shellcheck shell=bash
# The servers of bench/run: the origin, nginx, HAProxy and gw, each from its own config in the
# run's temporary folder, started on the servers' CPU and stopped again. Sourced by bench/run,
# which owns what these read: TMP, TLS_DIR, PORT, TLS_PORT, ADMIN_PORT, ORIGIN_STATUS_PORT,
# PIN_SRV, HARNESS, PEER_LOGS, GATEWAY_HEADERS, GW_THREADS, GW_BIN, GW_BIN_BASE, GW_WRAP,
# FEATURE_HEADER, PY, and the PID and STARTED tables. With a feature shape (an auth shape, a
# limit shape, metering, a cache shape, a compression shape) the proxies' configs get that
# shape's parts from its group's file (bench/auth.sh, bench/limits.sh, bench/billing.sh,
# bench/cache.sh, bench/compress.sh) and their readiness checks send the shape's header, if it
# has one.

log() { printf '%s\n' "$*" >&2; }

# A feature shape's parts are functions named after it: SHAPE with '-' as '_', then the part
# (auth-key's gw_route is auth_key_gw_route, limit-local's nginx_http limit_local_nginx_http).
# The parts, each optional:
#   make               makes what the shape needs once per run (files in TMP, FEATURE_HEADER,
#                      a store the proxies share, started with `start` so the exit stops it)
#   gw_document BIN    gw's document: the top-level sections the shape needs (consumers,
#                      redis, metering, ...); BIN is the gw binary it is for
#   gw_route           gw's document: the route's lines (auth, rateLimits)
#   gw_check URL TARGET
#                      after gw (or gw-base) served the probe: one more request to URL, then
#                      a check that the feature did its work where it shows outside gw (a key
#                      in a shared store, usage in TMP/TARGET-home/usage.db); prints what it
#                      found, and fails with why not
#   plain_gw_document BIN, plain_gw_route, plain_gw_check URL TARGET
#                      the same for gw-plain. Without them gw-plain is the plain route (5b's
#                      document, forwarding the shape's header untouched); a shape whose
#                      feature is a switch on top of another (metering on top of an API key)
#                      gives gw-plain the same gateway with the switch off, so that gw over
#                      gw-plain is the switch's cost alone
#   nginx_http         nginx, in its http block (a map, a limit_req_zone, a proxy_cache_path, ...)
#   nginx_location     nginx, in the proxying location, before proxy_pass
#   haproxy_global     HAProxy, in its global section (a tune.* setting)
#   haproxy_sections   HAProxy, top-level sections (a userlist, a stick-table's backend, a
#                      cache, ...)
#   haproxy_frontend   HAProxy, in every frontend, before the gateway headers
#   probe URL TARGET   the shape's probe of every target (origin, gw-plain, gw, the peers), in
#                      place of 5b's request (a shape whose answer is not the 5 bytes); prints
#                      what it found, and fails with why not
#   nginx_check URL TARGET, haproxy_check URL TARGET
#                      after that peer served the probe: one more request to URL and a look at
#                      what shows the feature did its work (a cache hit: the answer's fields,
#                      the origin not asked); prints what it found, and fails with why not
# feature_has SHAPE PART: whether the shape has that part.
feature_has() { declare -F "${1//-/_}_$2" >/dev/null; }
# feature_part SHAPE PART [ARG...]: runs that part (prints it) with the ARGs; nothing when
# SHAPE is empty (not a feature shape) or has no such part.
feature_part() {
  [[ -n $1 ]] && feature_has "$1" "$2" || return 0
  "${1//-/_}_$2" "${@:3}"
}

# start NAME CMD...: runs CMD on the servers' CPU in the background, output to TMP/NAME.log.
start() {
  local name=$1
  shift
  "${PIN_SRV[@]}" "$@" >>"$TMP/$name.log" 2>&1 &
  # shellcheck disable=SC2004  # PID is bench/run's associative array
  PID[$name]=$!
  STARTED+=("$!")
}

# stop NAME: TERM to the process, then KILL to whatever of it (and its children) is left
# after five seconds. It leaves STARTED, so the exit trap never signals a reused pid.
stop() {
  local pid=${PID[$1]:-} all p alive kept=()
  [[ -n $pid ]] || return 0
  read -ra all <<<"$pid $(pgrep -P "$pid" | tr '\n' ' ')"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    alive=0
    for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for p in "${all[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait "$pid" 2>/dev/null || true
  for p in "${STARTED[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
  STARTED=("${kept[@]}")
  unset "PID[$1]"
}

show_log() {
  [[ -s $TMP/$1.log ]] && { log "--- $1 output (last lines):"; tail -n 15 "$TMP/$1.log" >&2; }
  return 0
}

# Every process of a target: nginx's master and its workers, otherwise the process and any
# children. CPU and RSS are summed over all of them: an idle master costs no CPU, and its
# memory is part of what running that proxy costs (gw does the master's job in-process).
serving_pids() {
  local pid=${PID[$1]}
  echo "$pid $(pgrep -P "$pid" | tr '\n' ' ')"
}

# nginx shared settings: its own prefix, pid, logs and temp folders, never the system service.
nginx_main() { # NAME WORKER_CONNECTIONS
  cat <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $TMP/$1.pid;
error_log $TMP/$1.error.log warn;
events { worker_connections $2; }
EOF
}
nginx_http_common() { # NAME
  cat <<EOF
  client_body_temp_path $TMP/$1-tmp/body;
  proxy_temp_path $TMP/$1-tmp/proxy;
  fastcgi_temp_path $TMP/$1-tmp/fastcgi;
  uwsgi_temp_path $TMP/$1-tmp/uwsgi;
  scgi_temp_path $TMP/$1-tmp/scgi;
  # Keep-alive connections are not closed after 1000 requests (nginx's default), so no
  # target pays reconnects that the others do not.
  keepalive_requests 1000000;
  keepalive_timeout 65s;
EOF
}
start_nginx() { # NAME CONF
  mkdir -p "$TMP/$1-tmp"
  start "$1" nginx -p "$TMP/$1-tmp" -e "$TMP/$1.error.log" -c "$2"
}

# Origin: nginx answering 5 bytes on / and /upload (a POST body is read and dropped), static
# files of 16 KiB, 256 KiB and 1 MiB (sendfile, so the origin stays cheap), a 64 KiB file
# sent chunked (SSI drops the length; 16 KiB output buffers make 16 KiB chunks), and 64 KiB of
# JSON on /json (application/json, never compressed here: the proxies compress it).
# stub_status on its own port tells how many upstream connections a proxy keeps open and opens
# during a run.
write_origin() {
  local www=$TMP/www
  mkdir -m 755 "$www"
  head -c 16384 /dev/urandom >"$www/16k"
  head -c 262144 /dev/urandom >"$www/256k"
  head -c 1048576 /dev/urandom >"$www/1m"
  # SSI looks for "<!--" in what it sends: letters only, so nothing in it is a directive.
  head -c 65536 /dev/zero | tr '\0' 'x' >"$www/chunked"
  # The compression shapes' answer (bench/compress.sh): 64 KiB of JSON, sent as it is.
  "${HARNESS[@]}" json-doc "$www/json" "$COMPRESS_JSON_SIZE"
  chmod 644 "$www"/*
  {
    nginx_main origin 4096
    echo "http {"
    nginx_http_common origin
    cat <<EOF
  access_log off;
  default_type text/plain;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=16 inactive=1h;
  server {
    listen 127.0.0.1:${PORT[origin]} backlog=4096;
    root $www;
    location / { return 200 "hello"; }
    location = /upload { return 200 "hello"; }
    location = /16k { default_type application/octet-stream; }
    location = /256k { default_type application/octet-stream; }
    location = /1m { default_type application/octet-stream; }
    location = /chunked { ssi on; ssi_types *; output_buffers 1 16k; }
    location = /json { default_type application/json; gzip off; }
  }
  server {
    listen 127.0.0.1:$ORIGIN_STATUS_PORT;
    location / { stub_status; }
  }
}
EOF
  } >"$TMP/origin.conf"
}

# The TLS shapes' certificate, made once per run in TLS_DIR: a throw-away CA and a leaf for
# bench.test and 127.0.0.1 that it signs, both ECDSA P-256. Every proxy serves that leaf alone
# as its chain (clients trust the CA itself), with its key: nginx from cert.pem and key.pem,
# HAProxy from haproxy.pem (the two in one file), gw from its home. curl checks it with ca.pem.
make_certificate() {
  local d=$TLS_DIR p256=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)
  mkdir -m 700 "$d"
  printf '%s\n' "subjectAltName=DNS:bench.test,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$d/leaf.ext"
  {
    openssl genpkey "${p256[@]}" -out "$d/ca.key" &&
      openssl req -x509 -new -key "$d/ca.key" -subj "/CN=gw bench CA" -days 2 -sha256 \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
        -out "$d/ca.pem" &&
      openssl genpkey "${p256[@]}" -out "$d/key.pem" &&
      openssl req -new -key "$d/key.pem" -subj "/CN=bench.test" -out "$d/leaf.csr" &&
      openssl x509 -req -in "$d/leaf.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -days 2 -sha256 \
        -set_serial "0x$(openssl rand -hex 8)" -extfile "$d/leaf.ext" -out "$d/cert.pem" &&
      openssl verify -CAfile "$d/ca.pem" "$d/cert.pem" &&
      cat "$d/cert.pem" "$d/key.pem" >"$d/haproxy.pem" &&
      chmod 600 "$d/haproxy.pem"
  } >>"$TMP/openssl.log" 2>&1
}

# What gw does to every request, the peers do too unless GATEWAY_HEADERS=0: X-Forwarded-For,
# -Proto and -Host to the upstream, and a request id sent upstream and returned to the client.
nginx_gateway_headers() {
  [[ $GATEWAY_HEADERS == 1 ]] || return 0
  cat <<'EOF'
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Request-ID $request_id;
      add_header X-Request-ID $request_id always;
EOF
}
haproxy_gateway_headers() { # SCHEME
  [[ $GATEWAY_HEADERS == 1 ]] || return 0
  cat <<EOF
  option forwardfor
  unique-id-format %{+X}o%ci%cp%fi%fp%Ts%rt%pid
  http-request set-header X-Request-ID %[unique-id]
  http-request set-header X-Forwarded-Proto $1
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-response set-header X-Request-ID %[unique-id]
EOF
}

# nginx as the proxy. Its defaults are kept on purpose: request bodies over 16 KiB
# (client_body_buffer_size) and answers larger than its proxy buffers go through temp files.
# With a feature shape the location does its work first (checks the credential, counts the
# request against the limit, answers from its cache).
nginx_proxy_location() { # [FEATURE_SHAPE]
  cat <<EOF
    location / {
$(feature_part "${1:-}" nginx_location)
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
$(nginx_gateway_headers)
    }
EOF
}
# With "tls" (the TLS shapes), a second server terminates TLS on its own port and forwards
# alike; its session settings are nginx's defaults (tickets on, no session cache), and with
# "tls-full" tickets are off too, so no handshake is resumed. With a feature shape, both servers
# do its work.
write_nginx() { # MAX_CONNECTIONS [tls] [FEATURE_SHAPE]
  local feature=${3:-}
  {
    nginx_main nginx "$1"
    echo "http {"
    nginx_http_common nginx
    if [[ $PEER_LOGS == 1 ]]; then
      echo "  access_log $TMP/nginx-access.log combined buffer=64k flush=1s;"
    else
      echo "  access_log off;"
    fi
    cat <<EOF
$(feature_part "$feature" nginx_http)
  upstream origin {
    server 127.0.0.1:${PORT[origin]};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${PORT[nginx]} backlog=4096;
$(nginx_proxy_location "$feature")
  }
EOF
    if [[ ${2:-} == tls* ]]; then
      cat <<EOF
  server {
    listen 127.0.0.1:${TLS_PORT[nginx]} ssl backlog=4096;
    ssl_certificate $TLS_DIR/cert.pem;
    ssl_certificate_key $TLS_DIR/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_tickets $([[ $2 == tls-full ]] && echo off || echo on);
$(nginx_proxy_location "$feature")
  }
EOF
    fi
    echo "}"
  } >"$TMP/nginx.conf"
}

# With "tls" (the TLS shapes), a second frontend terminates TLS on its own port (HAProxy's
# defaults: tickets on, its session cache; with "tls-full" neither) and forwards to the same
# backend. With a feature shape, both frontends do its work before anything else.
write_haproxy() { # MAX_CONNECTIONS [tls] [FEATURE_SHAPE]
  local feature=${3:-} check=""
  check=$(feature_part "$feature" haproxy_frontend)
  {
    cat <<EOF
global
  nbthread 1
  maxconn $1
EOF
    # HAProxy sizes its descriptors at two per connection and by default refuses to start when
    # it cannot raise its limit that far. Idle client connections hold no server connection,
    # so the limit bench/run could get is enough: a warning, not a stop.
    (($1 * 2 + 1024 > $(ulimit -n))) && echo "  no strict-limits"
    [[ ${2:-} == tls-full ]] && echo "  tune.ssl.cachesize 0"
    feature_part "$feature" haproxy_global
    [[ $PEER_LOGS == 1 ]] && echo "  log stdout format raw local0"
    cat <<EOF
defaults
  mode http
  maxconn $1
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
  http-reuse always
EOF
    [[ $PEER_LOGS == 1 ]] && printf '  log global\n  option httplog\n'
    feature_part "$feature" haproxy_sections
    cat <<EOF
frontend fe
  bind 127.0.0.1:${PORT[haproxy]}
${check:+$check
}$(haproxy_gateway_headers http)
  default_backend origin
EOF
    [[ ${2:-} == tls* ]] && cat <<EOF
frontend fe_tls
  bind 127.0.0.1:${TLS_PORT[haproxy]} ssl crt $TLS_DIR/haproxy.pem alpn http/1.1$([[ $2 == tls-full ]] && echo " no-tls-tickets")
${check:+$check
}$(haproxy_gateway_headers https)
  default_backend origin
EOF
    cat <<EOF
backend origin
  server origin 127.0.0.1:${PORT[origin]}
EOF
  } >"$TMP/haproxy.cfg"
}

# gw and gw-base get the same document, threads and pinning; only the ports and the home
# (TMP/NAME-home) differ. gw has no connection limit of its own: the descriptor limit it
# inherits from bench/run is the only one. With "tls" (the TLS shapes) the gateway has an
# https listener too, and the document lists the certificate whose files are in the home. With
# a feature shape, the document has its sections (consumers, metering, ...) and the route its
# lines (auth, rateLimits); with "plain" (gw-plain), the shape's plain_gw_document and
# plain_gw_route instead, when it has them. With GW_WRAP set (the instruction rows: valgrind's
# callgrind) gw runs under it, with one worker thread whatever GW_THREADS says: valgrind runs
# one thread at a time anyway.
start_gw() { # NAME BIN [tls] [FEATURE_SHAPE] [plain]
  local name=$1 bin=$2 gw_log=false home="$TMP/$1-home" tickets="" feature=${4:-}
  local threads=$GW_THREADS document=gw_document route=gw_route
  ((${#GW_WRAP[@]})) && threads=1
  if [[ ${5:-} == plain ]]; then
    document=plain_gw_document
    route=plain_gw_route
  fi
  local listeners="{name: http, protocol: http, port: ${PORT[$1]}}" certificates=""
  local feature_document="" feature_route=""
  if feature_has "$feature" "$document"; then
    feature_document=$(feature_part "$feature" "$document" "$bin")$'\n'
  fi
  if feature_has "$feature" "$route"; then
    feature_route=$'\n'$(feature_part "$feature" "$route")
  fi
  mkdir -p "$home"
  [[ $PEER_LOGS == 1 ]] && gw_log=true
  if [[ ${3:-} == tls* ]]; then
    listeners+=", {name: https, protocol: https, port: ${TLS_PORT[$name]}}"
    # Imported: made by the bench, renewed by nobody (the gateway asks no CA).
    certificates=$'certificates: [{name: bench, domains: [bench.test], gateway: bench, issuer: imported}]\n'
    install -d -m 700 "$home/certs" "$home/certs/bench"
    install -m 644 "$TLS_DIR/cert.pem" "$home/certs/bench/cert.pem"
    install -m 600 "$TLS_DIR/key.pem" "$home/certs/bench/key.pem"
  fi
  [[ ${3:-} == tls-full ]] && tickets=", sessionTickets: false"
  cat >"$home/config.yaml" <<EOF
apiVersion: gw/v1
proxy: {accessLog: $gw_log$tickets}
gateways:
  - name: bench
    address: 127.0.0.1
    listeners: [$listeners]
${certificates}${feature_document}services:
  - name: origin
    endpoints: [127.0.0.1:${PORT[origin]}]
routes:
  - name: all
    gateway: bench
    hosts: ["*"]
    destinations: [{service: origin}]${feature_route}
EOF
  chmod 600 "$home/config.yaml"
  start "$name" "${GW_WRAP[@]}" "$bin" proxy --home "$home" --threads "$threads" \
    --admin-address "127.0.0.1:${ADMIN_PORT[$name]}"
}

# start_target NAME MAX_CONNECTIONS [tls] [FEATURE_SHAPE]: starts a fresh proxy (with "tls",
# with its https listener too; with a feature shape, doing its work; gw-plain with the shape's
# plain parts, if it has any: never the feature) and waits until it serves
# the origin's 5 bytes on its plain listener (to a request with the shape's header, if it has
# one: the credential). On failure it is stopped again and START_ERROR says why.
start_target() {
  local t=$1 tls=${3:-} feature=${4:-} answer="" header=() ready=15
  START_ERROR=""
  # valgrind takes its time to load gw (and its debug information) before gw starts.
  ((${#GW_WRAP[@]})) && ready=120
  if [[ -n $feature && -n ${FEATURE_HEADER[$feature]:-} ]]; then
    header=(--header "${FEATURE_HEADER[$feature]}")
  fi
  case $t in
    nginx) write_nginx "$2" "$tls" "$feature" && start_nginx nginx "$TMP/nginx.conf" ;;
    haproxy) write_haproxy "$2" "$tls" "$feature" && start haproxy haproxy -db -f "$TMP/haproxy.cfg" ;;
    gw) start_gw gw "$GW_BIN" "$tls" "$feature" ;;
    gw-base) start_gw gw-base "$GW_BIN_BASE" "$tls" "$feature" ;;
    gw-plain) start_gw gw-plain "$GW_BIN" "$tls" "$feature" plain ;;
  esac
  if [[ $t == gw* ]] &&
    ! "${HARNESS[@]}" wait-ready "http://127.0.0.1:${ADMIN_PORT[$t]}/ready" "$ready" --pid "${PID[$t]}"; then
    START_ERROR="did not report ready on its admin API"
  elif ! "${HARNESS[@]}" wait-ready "http://127.0.0.1:${PORT[$t]}/" 10 --pid "${PID[$t]}" \
    "${header[@]}" ||
    ! answer=$("${HARNESS[@]}" get "http://127.0.0.1:${PORT[$t]}/" --expect-body hello \
      "${header[@]}"); then
    START_ERROR="does not serve the origin's answer: ${answer:-no answer}"
  fi
  [[ -z $START_ERROR ]] && return 0
  show_log "$t"
  stop "$t"
  return 1
}

# gw_accepts BIN SECTION: whether that gw binary takes a document with this top-level section
# (`gw config validate`; an older gw-base refuses a field it does not know). Nothing is written.
gw_accepts() {
  printf 'apiVersion: gw/v1\n%s\n' "$2" | "$1" config validate -f - >/dev/null 2>&1
}

# Usage metering: gw counts a request that names a consumer per consumer and route, and flushes
# the counts to the home's usage.db twice a second.
# gw_usage_requests HOME CONSUMER: the consumer's requests counted in HOME/usage.db, all days
# and routes (0 without the file: a gw that meters nothing); with the sqlite3 command line, or
# else python3's sqlite3 module, read-only. Fails, saying why, when the file cannot be read.
gw_usage_requests() {
  local db=$1/usage.db out
  [[ -f $db ]] || { echo 0; return 0; }
  if command -v sqlite3 >/dev/null; then
    out=$(sqlite3 -readonly -cmd ".timeout 2000" "$db" \
      "SELECT COALESCE(SUM(requests), 0) FROM usage WHERE consumer = '$2'" 2>&1) || true
  else
    out=$("$PY" -c 'import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True, timeout=2)
print(db.execute("SELECT COALESCE(SUM(requests), 0) FROM usage WHERE consumer = ?",
                 (sys.argv[2],)).fetchone()[0])' "$db" "$2" 2>&1) || true
  fi
  [[ $out =~ ^[0-9]+$ ]] || { echo "cannot read $db: ${out//$'\n'/ }"; return 1; }
  echo "$out"
}
# gw_check_unmetered URL TARGET SHAPE CONSUMER: a gw_check for a gw that must not meter the
# shape's requests: one more request with the shape's header to URL, then, after three of gw's
# flushes, the consumer's count in TMP/TARGET-home/usage.db is what it was before.
gw_check_unmetered() {
  local home=$TMP/$2-home before after answer
  before=$(gw_usage_requests "$home" "$4") || { echo "usage.db: $before"; return 1; }
  answer=$("${HARNESS[@]}" get "$1" --expect-body hello --header "${FEATURE_HEADER[$3]}") ||
    { echo "$answer"; return 1; }
  sleep 1.5
  after=$(gw_usage_requests "$home" "$4") || { echo "usage.db: $after"; return 1; }
  if [[ $after != "$before" ]]; then
    echo "metered: consumer $4's requests in $home/usage.db went from $before to $after after one more request, with metering off in the document"
    return 1
  fi
  echo "metering off: consumer $4's requests in usage.db stay at $after after one more request"
}
