#!/usr/bin/env bash
# What `gw dashboard`'s live updates cost the proxy: a gateway with ROUTES (1000) routes over
# two gw-echo backends, installed and idle; the proxy's CPU (utime+stime of /proc/PID/stat)
# over WINDOW-second windows, ROUNDS times without a dashboard and ROUNDS times with one
# running (it reads /v1/stats?series=0&histograms=1 every 2 s by itself, no browser needed).
# Prints each window, the means and the difference in % of one core (target: under 1%),
# the dashboard process's own CPU, and the size and time of one stats answer.
#
#   GW_BIN=build/release/gw bench/dashboard.sh          ~7 minutes
#   GW_BIN=... ROUTES=2000 WINDOW=30 ROUNDS=2 bench/dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."

GW_BIN=${GW_BIN:-build/release/gw}
ECHO_BIN=${ECHO_BIN:-build/tests/gw-echo}
ROUTES=${ROUTES:-1000}
WINDOW=${WINDOW:-60}
ROUNDS=${ROUNDS:-3}
for bin in "$GW_BIN" "$ECHO_BIN"; do
  [[ -x $bin ]] || { echo "bench/dashboard.sh: no $bin (set GW_BIN / ECHO_BIN)" >&2; exit 2; }
done

export GW_HOME
GW_HOME=$(mktemp -d -t gw-bench-dashboard.XXXXXX)
pids=()
cleanup() {
  "$GW_BIN" uninstall >/dev/null 2>&1 || true
  ((${#pids[@]})) && kill "${pids[@]}" 2>/dev/null || true
  rm -rf "$GW_HOME"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
v1=$(free_port) v2=$(free_port) http=$(free_port)
"$ECHO_BIN" --name frontend --port "$v1" >/dev/null & pids+=($!)
"$ECHO_BIN" --name frontendv2 --port "$v2" >/dev/null & pids+=($!)
"$GW_BIN" install >/dev/null
"$GW_BIN" service add frontend --endpoint "127.0.0.1:$v1" >/dev/null
"$GW_BIN" service add frontendv2 --endpoint "127.0.0.1:$v2" >/dev/null
"$GW_BIN" gateway create shop-ingress --port "http:$http" --address 127.0.0.1 >/dev/null
{
  "$GW_BIN" config export
  echo "routes:"
  for ((i = 1; i <= ROUTES; i++)); do
    printf '  - {name: r%05d, gateway: shop-ingress, hosts: [h%05d.test], destinations: [{service: frontend, weight: 50}, {service: frontendv2, weight: 50}]}\n' "$i" "$i"
  done
} >"$GW_HOME/routes.yaml"
"$GW_BIN" config apply -f "$GW_HOME/routes.yaml" >/dev/null
proxy=$(cat "$GW_HOME/proxy.pid")
hz=$(getconf CLK_TCK)

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# window PID...: the % of one core each PID used over WINDOW seconds.
window() {
  local before=() after=() t0 t1 p
  for p in "$@"; do before+=("$(ticks "$p")"); done
  t0=$(date +%s.%N)
  sleep "$WINDOW"
  t1=$(date +%s.%N)
  for p in "$@"; do after+=("$(ticks "$p")"); done
  for i in "${!before[@]}"; do
    awk -v a="${before[$i]}" -v b="${after[$i]}" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
      'BEGIN { printf "%.3f\n", 100 * (b - a) / hz / (t1 - t0) }'
  done | paste -sd' '
}

echo "== $ROUTES routes, ${WINDOW}s windows, $ROUNDS rounds each (load: $(uptime | sed 's/.*average: //'))"
without=()
for ((r = 1; r <= ROUNDS; r++)); do
  without+=("$(window "$proxy")")
  echo "proxy, no dashboard:       ${without[-1]}%"
done
"$GW_BIN" dashboard --port 0 </dev/null >/dev/null 2>&1 & dashboard=$!
pids+=("$dashboard")
sleep 5
with=()
for ((r = 1; r <= ROUNDS; r++)); do
  read -r p d < <(window "$proxy" "$dashboard")
  with+=("$p")
  echo "proxy, dashboard running:  $p%   (the dashboard itself: $d%)"
done
kill -INT "$dashboard"

mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.3f", s / NR }'; }
m0=$(mean "${without[@]}") m1=$(mean "${with[@]}")
echo "mean: $m0% without, $m1% with: the dashboard costs the proxy $(awk -v a="$m0" -v b="$m1" 'BEGIN { printf "%.3f", b - a }')% of one core"
admin=$(cat "$GW_HOME/admin.address") token=$(cat "$GW_HOME/admin.token")
curl -s -o /dev/null -H "Authorization: Bearer $token" \
  -w 'one /v1/stats?series=0&histograms=1 answer: %{size_download} bytes in %{time_total} s\n' \
  "http://$admin/v1/stats?series=0&histograms=1"
