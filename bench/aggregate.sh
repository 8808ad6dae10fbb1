#!/usr/bin/env bash
# API call aggregation, read against gw itself (nginx and HAProxy have no such thing): a route
# whose `aggregate` calls three backends at once and merges their JSON, beside plain forwards
# to the same backends, in one run. The issue's target: aggregating three backends costs less
# than three sequential forwards in latency, its p50 about the slowest backend's.
#
#   latency at low load   three gw-echo backends, each answering its JSON after a fixed delay
#                         (DELAYS: 5ms 10ms 20ms); a closed loop of LATENCY_CONNECTIONS (4)
#                         kept-alive connections through gw to the aggregate route, and to a
#                         plain forward to each backend alone: p50 and p99 of each, the
#                         aggregate's p50 over the slowest forward's (target about 1.0x) and
#                         over the three forwards' p50s summed (what calling them one after the
#                         other costs; target below 1.0x). Each backend asked directly too
#                         (its delay and its own time), then the aggregate and a forward at
#                         zero delay (three nginx JSON backends): what aggregating itself adds.
#   CPU at saturation     wrk -c CONNECTIONS on the aggregate route over the zero-delay nginx
#                         backends, and on a plain forward to one of them: gw's CPU µs per
#                         answer, and their ratio (3 upstream calls and a JSON merge per answer).
#
#   GW_BIN=build/release/gw bench/aggregate.sh         ~4 minutes
#   GW_BIN=... DELAYS="2ms 4ms 8ms" LATENCY_ROUNDS=5 bench/aggregate.sh
#   GW_BIN=... CPU=0 bench/aggregate.sh                the latency rows alone
#
# The method is bench/run's (bench/README.md, "API call aggregation"): gw with one worker, the
# load on WRK_CPU, gw and every backend on SERVER_CPU, interleaved rounds, medians.
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
  echo
  echo "Environment: GW_BIN ECHO_BIN DELAYS LATENCY_REQUESTS LATENCY_WARMUP LATENCY_CONNECTIONS"
  echo "             LATENCY_ROUNDS LATENCY_SECONDS CPU DURATION WARMUP ROUNDS CONNECTIONS"
  echo "             WRK_THREADS BASE_PORT WRK_CPU SERVER_CPU JOBS RESULTS KEEP_TMP"
  echo "             (bench/README.md)"
  exit 0
elif [[ $# -gt 0 ]]; then
  echo "bench/aggregate.sh takes no arguments (settings are environment variables; see --help)" >&2
  exit 2
fi

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

# The delayed backends: one gw-echo each (the dev build's test backend, which waits its
# --delay on a timer before it answers its JSON on GET /_echo), in the order they are listed.
ECHO_BIN=${ECHO_BIN:-$REPO/build/tests/gw-echo}
DELAYS=${DELAYS:-5ms 10ms 20ms}
# Latency at low load: LATENCY_WARMUP requests unrecorded, then LATENCY_REQUESTS recorded over
# LATENCY_CONNECTIONS kept-alive connections, each a closed loop; LATENCY_ROUNDS interleaved
# rounds of every row; a run longer than LATENCY_SECONDS fails.
LATENCY_REQUESTS=${LATENCY_REQUESTS:-2000}
LATENCY_WARMUP=${LATENCY_WARMUP:-200}
LATENCY_CONNECTIONS=${LATENCY_CONNECTIONS:-4}
LATENCY_ROUNDS=${LATENCY_ROUNDS:-3}
LATENCY_SECONDS=${LATENCY_SECONDS:-120}
# CPU at saturation (CPU=0 leaves it out): WARMUP seconds of wrk per row, then ROUNDS
# interleaved runs of DURATION seconds over CONNECTIONS connections.
CPU=${CPU:-1}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-50}
WRK_THREADS=${WRK_THREADS:-1}
BASE_PORT=${BASE_PORT:-17100}
WRK_CPU=${WRK_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
JOBS=${JOBS:-2}
RESULTS=${RESULTS:-$BENCH_DIR/results/aggregate.json}
KEEP_TMP=${KEEP_TMP:-0}

for v in LATENCY_REQUESTS LATENCY_CONNECTIONS LATENCY_ROUNDS LATENCY_SECONDS DURATION ROUNDS \
  CONNECTIONS WRK_THREADS BASE_PORT; do
  [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || { echo "$v must be a positive integer" >&2; exit 2; }
done
for v in LATENCY_WARMUP WARMUP; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "$v must be a number" >&2; exit 2; }
done
[[ $CPU == 0 || $CPU == 1 ]] || { echo "CPU must be 0 or 1" >&2; exit 2; }
read -ra DELAY <<<"$DELAYS"
((${#DELAY[@]} >= 2)) || { echo "DELAYS must list two backends or more: '$DELAYS'" >&2; exit 2; }
for d in "${DELAY[@]}"; do
  [[ $d =~ ^[0-9]+(ms|s)$ ]] || { echo "a delay is like 10ms or 1s, not '$d'" >&2; exit 2; }
done
# The slowest delay (in ms): the aggregate's timeout is set well beyond it.
slowest_ms=0
for d in "${DELAY[@]}"; do
  ms=${d%ms}
  [[ $d == *ms ]] || ms=$((${d%s} * 1000))
  ((ms > slowest_ms)) && slowest_ms=$ms
done

# Ports, all on 127.0.0.1: the zero-delay JSON backends (one nginx, a server per backend) from
# BASE, its status page BASE+9, the delayed backends from BASE+10, gw BASE+80 (admin BASE+90).
N=${#DELAY[@]}
JSON_PORT0=$BASE_PORT
STATUS_PORT=$((BASE_PORT + 9))
ECHO_PORT0=$((BASE_PORT + 10))
((N <= 9)) || { echo "DELAYS lists at most 9 backends" >&2; exit 2; }
declare -A PORT=([gw]=$((BASE_PORT + 80)))
GW_ADMIN_PORT=$((BASE_PORT + 90))

# servers.sh's helpers (log, start, stop, show_log, serving_pids, nginx_main,
# nginx_http_common, start_nginx) read these.
declare -A PID=()
STARTED=()
PIN_SRV=()
PIN_WRK=()
# shellcheck source=bench/servers.sh
source "$BENCH_DIR/servers.sh"

# ---------------------------------------------------------------------------------------------
# Tools: Debian packages, installed only when missing (as bench/run does).
need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v pgrep >/dev/null || need+=(procps)
command -v taskset >/dev/null || need+=(util-linux)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=$(command -v python3 || true)
[[ -n $PY ]] || need+=(python3)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing: ${need[*]}; install them (apt-get install --no-install-recommends ${need[*]})"
    exit 1
  fi
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [[ -n $PY ]] || PY=/usr/bin/python3
fi
HARNESS=("$PY" "$BENCH_DIR/harness.py")
AGG=("$PY" "$BENCH_DIR/aggregate.py")

# ---------------------------------------------------------------------------------------------
# gw (a release build, as bench/run builds it unless GW_BIN names one) and gw-echo (the dev
# build's test backend: never built here).
mkdir -p "$(dirname "$RESULTS")"
if [[ -z ${GW_BIN:-} ]]; then
  GW_BIN=$REPO/build/release/gw
  build_log=$(dirname "$RESULTS")/build.log
  log "building gw (release; log: $build_log)"
  if ! (cd "$REPO" && cmake --preset release && cmake --build --preset release --target gw -j "$JOBS") \
    >"$build_log" 2>&1; then
    tail -n 30 "$build_log" >&2
    log "the release build failed (see $build_log)"
    exit 1
  fi
fi
[[ -x $GW_BIN ]] || { log "no executable gw at $GW_BIN"; exit 1; }
if [[ ! -x $ECHO_BIN ]]; then
  log "no gw-echo at $ECHO_BIN: build it (cmake --preset dev && cmake --build --preset dev" \
    "--target gw-echo) or name it with ECHO_BIN"
  exit 1
fi

# ---------------------------------------------------------------------------------------------
# Pinning: the load (wrk, the latency client, this script's probes) on WRK_CPU; gw and every
# backend on SERVER_CPU, as in bench/run.
NOTES=()
if taskset -c "$WRK_CPU" true 2>/dev/null && taskset -c "$SERVER_CPU" true 2>/dev/null &&
  [[ $WRK_CPU != "$SERVER_CPU" ]]; then
  PIN_WRK=(taskset -c "$WRK_CPU")
  PIN_SRV=(taskset -c "$SERVER_CPU")
  taskset -cp "$WRK_CPU" $$ >/dev/null
else
  NOTES+=("not pinned: CPUs $WRK_CPU and $SERVER_CPU are not both available; figures mix load and servers")
  log "warning: ${NOTES[-1]}"
fi

# ---------------------------------------------------------------------------------------------
# Processes: every one started here is stopped on exit, Ctrl-C included.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gw-bench-aggregate.XXXXXX")
chmod 711 "$TMP"
WRK_PID=""
# shellcheck disable=SC2317  # run by the traps below
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local all=() p c
  if [[ -n $WRK_PID ]]; then kill -TERM "$WRK_PID" 2>/dev/null || true; fi
  for p in "${STARTED[@]}"; do
    all+=("$p")
    for c in $(pgrep -P "$p" 2>/dev/null); do all+=("$c"); done
  done
  for p in "${STARTED[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for p in "${all[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ $KEEP_TMP == 1 ]]; then
    log "kept $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'exit 143' TERM

ports=("${PORT[gw]}" "$GW_ADMIN_PORT" "$STATUS_PORT")
for i in $(seq "$N"); do ports+=("$((JSON_PORT0 + i - 1))" "$((ECHO_PORT0 + i - 1))"); done
"${HARNESS[@]}" ports-free "${ports[@]}" || {
  log "choose other ports with BASE_PORT (now $BASE_PORT)"
  exit 1
}

# Sum of utime+stime (clock ticks) of the given pids, from /proc/PID/stat (all threads); and
# the two apiece, "USER SYSTEM" (bench/run's).
cpu_split() {
  local user=0 system=0 pid line f
  for pid in "$@"; do
    if read -r line <"/proc/$pid/stat" 2>/dev/null; then
      read -ra f <<<"${line##*) }"
      user=$((user + f[11]))
      system=$((system + f[12]))
    fi
  done
  echo "$user $system"
}
cpu_ticks() {
  local user system
  read -r user system <<<"$(cpu_split "$@")"
  echo $((user + system))
}

# settle NAME...: waits (up to 10 s) until those processes use no more CPU, so that a run's
# leftovers do not land in the next one.
settle() {
  local pids=() p=() t0 t1 n
  for n in "$@"; do read -ra p <<<"$(serving_pids "$n")"; pids+=("${p[@]}"); done
  t1=$(cpu_ticks "${pids[@]}")
  for _ in $(seq 40); do
    t0=$t1
    sleep 0.25
    t1=$(cpu_ticks "${pids[@]}")
    ((t1 - t0 <= 1)) && return 0
  done
  log "$*: still busy 10 s after a run"
}

# ---------------------------------------------------------------------------------------------
# The zero-delay backends: one nginx, a server per backend on its own port, each answering
# GET /json with a small JSON object of its own (application/json, a Content-Length), and its
# stub_status on STATUS_PORT: how many requests the backends got, so that every aggregate
# answer is seen to cost N upstream calls and a forward one.
{
  nginx_main json 4096
  echo "http {"
  nginx_http_common json
  echo "  access_log off;"
  for i in $(seq "$N"); do
    body="{\"backend\":\"json-$i\",\"id\":$i,\"name\":\"item $i\",\"price\":$((i * 100 + 99)),"
    body+="\"currency\":\"EUR\",\"stock\":$((i * 7)),\"tags\":[\"a\",\"b\",\"c\"],\"active\":true}"
    cat <<EOF
  server {
    listen 127.0.0.1:$((JSON_PORT0 + i - 1)) backlog=4096;
    location = /json { default_type application/json; return 200 '$body'; }
  }
EOF
  done
  cat <<EOF
  server {
    listen 127.0.0.1:$STATUS_PORT;
    location / { stub_status; }
  }
}
EOF
} >"$TMP/json.conf"
start_nginx json "$TMP/json.conf"
if ! "${HARNESS[@]}" wait-ready "http://127.0.0.1:$JSON_PORT0/json" 10 --pid "${PID[json]}"; then
  show_log json
  show_log json.error
  log "the zero-delay backends (nginx) did not start"
  exit 1
fi

# The delayed backends: gw-echo --delay D, its JSON (the request's method, target and fields)
# on GET /_echo after D on a timer. Each its own process and port, so gw keeps a pool per
# backend, as with services on separate hosts.
ECHO_NAMES=()
for i in $(seq "$N"); do
  d=${DELAY[$((i - 1))]}
  start "echo-$i" "$ECHO_BIN" --name "delay-$d" --port "$((ECHO_PORT0 + i - 1))" --delay "$d"
  ECHO_NAMES+=("echo-$i")
done
for i in $(seq "$N"); do
  if ! "${HARNESS[@]}" wait-ready "http://127.0.0.1:$((ECHO_PORT0 + i - 1))/_echo" 10 \
    --pid "${PID[echo-$i]}"; then
    show_log "echo-$i"
    log "gw-echo $i did not start"
    exit 1
  fi
done

# ---------------------------------------------------------------------------------------------
# gw: one gateway, a service per backend, and the routes measured:
#   /aggregate/delayed   the aggregate over the delayed backends (each /_echo, under the group
#                        dN, every one required: a backend's failure is a 502, never a
#                        quietly shorter answer)
#   /_echo + x-bench-backend: delay-N
#                        a plain forward to delayed backend N alone: the very request the
#                        aggregate sends it (a route per backend, told apart by that field)
#   /aggregate/json      the aggregate over the zero-delay backends (each /json, group jN)
#   /json                a plain forward to the last zero-delay backend
# One worker thread, access log off, as bench/run's gw.
home=$TMP/gw-home
mkdir -p "$home"
timeout_ms=$((slowest_ms * 20 + 1000))
{
  cat <<EOF
apiVersion: gw/v1
proxy: {accessLog: false}
gateways:
  - name: bench
    address: 127.0.0.1
    listeners: [{name: http, protocol: http, port: ${PORT[gw]}}]
services:
EOF
  for i in $(seq "$N"); do
    echo "  - {name: delay-$i, endpoints: [127.0.0.1:$((ECHO_PORT0 + i - 1))]}"
    echo "  - {name: json-$i, endpoints: [127.0.0.1:$((JSON_PORT0 + i - 1))]}"
  done
  cat <<EOF
routes:
  - name: aggregate-delayed
    gateway: bench
    hosts: ["*"]
    match: {path: /aggregate/delayed, type: exact}
    aggregate:
      timeout: ${timeout_ms}ms
      backends:
EOF
  for i in $(seq "$N"); do
    echo "        - {service: delay-$i, path: /_echo, group: d$i, required: true}"
  done
  for i in $(seq "$N"); do
    cat <<EOF
  - name: forward-delay-$i
    gateway: bench
    hosts: ["*"]
    match: {path: /_echo, type: exact}
    headers: [{name: x-bench-backend, value: delay-$i}]
    destinations: [{service: delay-$i}]
EOF
  done
  cat <<EOF
  - name: aggregate-json
    gateway: bench
    hosts: ["*"]
    match: {path: /aggregate/json, type: exact}
    aggregate:
      timeout: 2s
      backends:
EOF
  for i in $(seq "$N"); do
    echo "        - {service: json-$i, path: /json, group: j$i, required: true}"
  done
  cat <<EOF
  - name: forward-json
    gateway: bench
    hosts: ["*"]
    match: {path: /json, type: exact}
    destinations: [{service: json-$N}]
EOF
} >"$home/config.yaml"
chmod 600 "$home/config.yaml"
start gw "$GW_BIN" proxy --home "$home" --threads 1 --admin-address "127.0.0.1:$GW_ADMIN_PORT"
if ! "${HARNESS[@]}" wait-ready "http://127.0.0.1:$GW_ADMIN_PORT/ready" 15 --pid "${PID[gw]}"; then
  show_log gw
  log "gw did not report ready on its admin API"
  exit 1
fi

# The rows: NAME, its URL, the field that picks its route (none for most). Through gw: the
# aggregate over the delayed backends and a forward to each of them; then each delayed backend
# asked directly, without gw (its delay and its own time: what every row through gw waits for
# at least); then the zero-delay aggregate and forward.
gw_url="http://127.0.0.1:${PORT[gw]}"
ROWS=(aggregate-delayed)
declare -A ROW_URL=([aggregate-delayed]=$gw_url/aggregate/delayed
  [aggregate-json]=$gw_url/aggregate/json [forward-json]=$gw_url/json)
declare -A ROW_HEADER=()
for i in $(seq "$N"); do
  ROWS+=("forward-delay-$i")
  ROW_URL[forward-delay-$i]=$gw_url/_echo
  ROW_HEADER[forward-delay-$i]="x-bench-backend: delay-$i"
done
ROWS_DIRECT=()
for i in $(seq "$N"); do
  ROWS_DIRECT+=("direct-delay-$i")
  ROW_URL[direct-delay-$i]=http://127.0.0.1:$((ECHO_PORT0 + i - 1))/_echo
done
ROWS_ZERO=(aggregate-json forward-json)
row_url() { echo "${ROW_URL[$1]}"; }
row_header() { [[ -z ${ROW_HEADER[$1]:-} ]] || printf '%s\n' --header "${ROW_HEADER[$1]}"; }

# Each row is checked with one request before anything is measured: the aggregates answer 200
# with x-gw-completed: true and every group, each holding its backend's JSON; a forward answers
# its backend's JSON (gw-echo's names its delay). A wrong answer stops the run.
FAILED=()
check_row() {
  local r=$1 args=() answer
  mapfile -t args < <(row_header "$r")
  case $r in
    aggregate-delayed) args+=(--groups "$(for i in $(seq "$N"); do printf 'd%s ' "$i"; done)") ;;
    aggregate-json) args+=(--groups "$(for i in $(seq "$N"); do printf 'j%s ' "$i"; done)") ;;
  esac
  if answer=$("${PIN_WRK[@]}" "${AGG[@]}" probe "$(row_url "$r")" "${args[@]}"); then
    log "$r: $answer"
  else
    FAILED+=("$r: $answer")
    log "$r: FAILED: $answer"
  fi
}
for r in "${ROWS[@]}" "${ROWS_DIRECT[@]}" "${ROWS_ZERO[@]}"; do check_row "$r"; done
if ((${#FAILED[@]})); then
  show_log gw
  log "a route does not answer as it should; nothing measured"
  exit 1
fi

RUNS=$TMP/runs.jsonl
: >"$RUNS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
# Latency at low load: harness.py latency-load from the load's CPU, a closed loop over
# LATENCY_CONNECTIONS kept-alive connections (a request sent when its connection's last answer
# is in, so none waits behind another of the client's), first byte sent to last byte read.
# Rounds interleaved over every row, so a burst of load from elsewhere spreads over all of them.
latency_run() { # ROW ROUND
  local r=$1 out="$TMP/latency-$1-$2" args=()
  mapfile -t args < <(row_header "$r")
  if ! "${PIN_WRK[@]}" "${HARNESS[@]}" latency-load "$(row_url "$r")" --requests "$LATENCY_REQUESTS" \
    --warmup "$LATENCY_WARMUP" --connections "$LATENCY_CONNECTIONS" --seconds "$LATENCY_SECONDS" \
    "${args[@]}" --runs "$RUNS" --shape aggregate --target "$r" --round "$2" >"$out" 2>&1; then
    FAILED+=("$r (latency): round $2: $(sed 's/^ *//' "$out" | paste -sd' ')")
  fi
  cat "$out"
  if ! kill -0 "${PID[gw]}" 2>/dev/null; then
    show_log gw
    FAILED+=("gw exited during latency round $2 ($r)")
    return 1
  fi
}
log "== latency at low load: $LATENCY_ROUNDS rounds of ${ROWS[*]} (delays ${DELAY[*]})," \
  "${ROWS_DIRECT[*]} (without gw), then ${ROWS_ZERO[*]} (zero delay); each $LATENCY_WARMUP" \
  "requests unrecorded, then $LATENCY_REQUESTS recorded over $LATENCY_CONNECTIONS connection(s)"
for round in $(seq "$LATENCY_ROUNDS"); do
  for r in "${ROWS[@]}" "${ROWS_DIRECT[@]}" "${ROWS_ZERO[@]}"; do
    latency_run "$r" "$round" || break 2
    settle gw "${ECHO_NAMES[@]}" json
  done
done

# ---------------------------------------------------------------------------------------------
# CPU at saturation: wrk on the zero-delay rows, gw's CPU (utime + stime of its process, all
# threads, from /proc) over the answers, the backends' requests from their stub_status. Warm-up
# per row, then ROUNDS interleaved runs.
status_requests() { "${HARNESS[@]}" stub-accepts "http://127.0.0.1:$STATUS_PORT/"; }
CLK_TCK=$(getconf CLK_TCK)
measure() { # ROW ROUND
  local r=$1 round=$2 out="$TMP/wrk-$1-$2.txt" pids opids u0 k0 u1 k1 o0 o1 a0 a1 q0 q1 wpid
  local alive=1
  read -ra pids <<<"$(serving_pids gw)"
  read -ra opids <<<"$(serving_pids json)"
  read -r a0 _ q0 <<<"$(status_requests)"
  read -r u0 k0 <<<"$(cpu_split "${pids[@]}")"
  o0=$(cpu_ticks "${opids[@]}")
  "${PIN_WRK[@]}" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency --timeout 10s \
    "$(row_url "$r")" >"$out" 2>&1 &
  wpid=$!
  WRK_PID=$wpid
  wait "$wpid" || log "$r: wrk exited with $?"
  WRK_PID=""
  read -r u1 k1 <<<"$(cpu_split "${pids[@]}")"
  o1=$(cpu_ticks "${opids[@]}")
  read -r a1 _ q1 <<<"$(status_requests)"
  kill -0 "${PID[gw]}" 2>/dev/null || alive=0
  "${HARNESS[@]}" record --runs "$RUNS" --shape aggregate --connections "$CONNECTIONS" \
    --target "$r" --round "$round" --wrk-out "$out" --clk-tck "$CLK_TCK" \
    --cpu-before $((u0 + k0)) --cpu-after $((u1 + k1)) --cpu-user-before "$u0" \
    --cpu-user-after "$u1" --origin-cpu-before "$o0" --origin-cpu-after "$o1" \
    --rss-kb "$(awk '/^VmRSS:/ {print $2}' "/proc/${PID[gw]}/status" 2>/dev/null || echo 0)" \
    --accepts-before "${a0:--1}" --accepts-after "${a1:--1}" --upstream-conns -1 \
    --origin-requests-before "${q0:--1}" --origin-requests-after "${q1:--1}" --alive "$alive"
  if ((!alive)); then
    show_log gw
    FAILED+=("gw exited during $r round $round")
    return 1
  fi
}
if ((CPU)) && ((${#FAILED[@]} == 0)); then
  log "== CPU at saturation: ${ROWS_ZERO[*]}, wrk -c$CONNECTIONS; warm-up ${WARMUP}s each," \
    "then $ROUNDS rounds of ${DURATION}s"
  for r in "${ROWS_ZERO[@]}"; do
    if ((WARMUP > 0)); then
      "${PIN_WRK[@]}" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$(row_url "$r")" \
        >"$TMP/warmup-$r.txt" 2>&1 || true
    fi
    settle gw json
  done
  for round in $(seq "$ROUNDS"); do
    for r in "${ROWS_ZERO[@]}"; do
      measure "$r" "$round" || break 2
      settle gw json
    done
  done
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
# The report: tables on stdout, the figures (every run too) to RESULTS; exit 1 if a run failed.
NOTES+=("load average before/after: $LOAD_BEFORE / $LOAD_AFTER")
report_args=(--delays "${DELAY[*]}" --rows "${ROWS[*]}" --direct-rows "${ROWS_DIRECT[*]}"
  --zero-rows "${ROWS_ZERO[*]}")
report_args+=(--kv "gw_bin=$GW_BIN" --kv "echo_bin=$ECHO_BIN" --kv "delays=${DELAY[*]}")
report_args+=(--kv "latency_requests=$LATENCY_REQUESTS" --kv "latency_warmup=$LATENCY_WARMUP")
report_args+=(--kv "latency_connections=$LATENCY_CONNECTIONS" --kv "latency_rounds=$LATENCY_ROUNDS")
report_args+=(--kv "cpu=$CPU" --kv "rounds=$ROUNDS" --kv "duration_s=$DURATION" --kv "warmup_s=$WARMUP")
report_args+=(--kv "connections=$CONNECTIONS" --kv "wrk_threads=$WRK_THREADS")
report_args+=(--kv "wrk_cpu=${PIN_WRK:+$WRK_CPU}" --kv "server_cpu=${PIN_SRV:+$SERVER_CPU}")
report_args+=(--kv "cpus=$(getconf _NPROCESSORS_ONLN)" --kv "loadavg_before=$LOAD_BEFORE" --kv "loadavg_after=$LOAD_AFTER")
report_args+=(--kv "gw_version=$("$GW_BIN" version 2>/dev/null | head -n1 || echo unknown)")
report_args+=(--kv "git=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)$(
  git -C "$REPO" diff --quiet HEAD 2>/dev/null || echo +changes)")
for n in "${NOTES[@]}"; do report_args+=(--note "$n"); done
for f in "${FAILED[@]}"; do report_args+=(--failed "$f"); done
rc=0
"${AGG[@]}" report "$RUNS" "$RESULTS" "${report_args[@]}" || rc=$?
log "results: $RESULTS"
exit "$rc"
