# shellcheck shell=bash disable=SC2034  # FEATURE_CANNOT, which it fills, is read by bench/run
# The limit shapes' rate limits, per proxy: feature shapes of the group limits (bench/run's
# FEATURE_SHAPES). Sourced by bench/run after servers.sh; it reads TMP, FEATURE_PORT, PID,
# HARNESS and has_target from bench/run and fills FEATURE_CANNOT for it.
#
# A limit shape limit-K (listed in bench/run's FEATURE_SHAPES in the group limits, with a title
# and gw's bound) is the block of functions limit_K_* below, the parts servers.sh names:
#   limit_K_make               makes what the shape needs once per run (a store, ...); may be
#                              missing
#   limit_K_gw_document        gw's document: the top-level sections the shape needs (redis,
#                              ...); may be missing
#   limit_K_gw_route           gw's document: the route's rateLimits line
#   limit_K_gw_check URL       after gw's probe, one more request and a look at what it left
#                              outside gw (its key in a shared store); may be missing
#   limit_K_nginx_http         nginx, in its http block: the zone that counts
#   limit_K_nginx_location     nginx, in the proxying location: the limit that takes from it
#   limit_K_haproxy_sections   HAProxy, top-level sections: the table that counts
#   limit_K_haproxy_frontend   HAProxy, in the frontend: tracking the request, the refusal
# A peer that cannot do a limit sensibly gets no functions for it and a reason in
# FEATURE_CANNOT[limit-K/PEER]: its cell is then skipped with that note, not faked.
#
# The limits here never refuse: what is measured is what counting every request against a
# limit costs a proxy, the price of a route that has one when its clients stay within it. A
# refusal (429) would show as a non-2xx answer and fail the run.

# The rate every proxy allows per client: far beyond what one CPU can serve, so never reached.
LIMIT_RATE=1000000000 # per second
LIMIT_STATUS=429

# ---------------------------------------------------------------------------------------------
# limit-local: a rate limit per client IP, kept in the proxy's own memory (GCRA in gw, nginx's
# leaky bucket, an HAProxy stick-table), on every request. gw answers with RateLimit-Policy and
# RateLimit (the limit and its window, what is left and when it is whole again), which is part
# of its cost; nginx and HAProxy have no such field to send.
limit_local_gw_route() { echo "    rateLimits: [{rate: $LIMIT_RATE/1s, by: [ip]}]"; }
limit_local_nginx_http() {
  # 1 MiB of zone holds some 16,000 addresses; the bench has one.
  cat <<EOF
  limit_req_zone \$binary_remote_addr zone=bench_limit:1m rate=${LIMIT_RATE}r/s;
  limit_req_status $LIMIT_STATUS;
EOF
}
limit_local_nginx_location() {
  # nodelay: requests within the burst are let through at once, never queued.
  echo "      limit_req zone=bench_limit burst=$LIMIT_RATE nodelay;"
}
limit_local_haproxy_sections() {
  cat <<EOF
backend bench_limit
  stick-table type ip size 100k expire 30s store http_req_rate(1s)
EOF
}
limit_local_haproxy_frontend() {
  echo "  http-request track-sc0 src table bench_limit"
  echo "  http-request deny deny_status $LIMIT_STATUS if { sc_http_req_rate(0) gt $LIMIT_RATE }"
}

# ---------------------------------------------------------------------------------------------
# limit-redis: the same limit per client IP, shared through Redis (store: redis): gw runs its
# GCRA step as one Lua script on the server (EVALSHA over a pipelined connection per worker)
# and waits for the answer before it forwards, so every request pays a round trip to Redis on
# loopback besides the CPU of sending and parsing it. The store is a redis-server of the run's
# own (limit_redis_make), on 127.0.0.1 and the servers' CPU, with nothing saved to disk. The
# figure to read is the p99 it adds to gw at low load (bench/run's FEATURE_P99_BOUND_MS and
# measure_latency; the wrk rounds' p99 at saturation is shown beside it). Neither peer can
# share a limit through Redis: their cells are skipped, not stood in for by a local limit.
FEATURE_CANNOT["limit-redis/nginx"]="open-source nginx cannot share a rate limit through Redis (limit_req counts in the worker's own shared memory; there is no Redis-backed limit_req)"
FEATURE_CANNOT["limit-redis/haproxy"]="HAProxy cannot share a rate limit through Redis (it shares stick tables with other HAProxy instances through its own peers protocol, not Redis)"
LIMIT_REDIS_PORT=${FEATURE_PORT[limit-redis]}
LIMIT_REDIS_TIMEOUT=50ms # gw's default: a call slower than this falls back to the local count
LIMIT_REDIS_PREFIX="gw:rl:" # gw's keys: gw:rl:SCOPE:LIMIT:KEY

limit_redis_cli() { redis-cli -h 127.0.0.1 -p "$LIMIT_REDIS_PORT" "$@"; }

# Starts the run's redis-server (stopped with every other process on exit) and waits until it
# answers a PING; none when no gw is measured (the peers skip the shape).
limit_redis_make() {
  local dir=$TMP/redis
  has_target gw || has_target gw-base || return 0
  mkdir -m 700 "$dir" || return 1
  start redis redis-server --port "$LIMIT_REDIS_PORT" --bind 127.0.0.1 --protected-mode yes \
    --save "" --appendonly no --dir "$dir" --daemonize no --loglevel warning
  for _ in $(seq 100); do
    if ! kill -0 "${PID[redis]}" 2>/dev/null; then
      show_log redis
      return 1
    fi
    [[ $(limit_redis_cli ping 2>/dev/null) == PONG ]] && return 0
    sleep 0.1
  done
  show_log redis
  return 1
}
limit_redis_gw_document() {
  echo "redis: {address: \"127.0.0.1:$LIMIT_REDIS_PORT\", timeout: $LIMIT_REDIS_TIMEOUT}"
}
limit_redis_gw_route() { echo "    rateLimits: [{rate: $LIMIT_RATE/1s, by: [ip], store: redis}]"; }
# limit_redis_gw_check URL: with the store emptied, one request through gw must leave a key of
# gw's in it. gw answers with a RateLimit field either way: when it cannot reach Redis it counts
# locally (onStoreError: local, the default), so the field alone would let the row pass with
# the limit silently local.
limit_redis_gw_check() {
  local answer keys
  limit_redis_cli FLUSHDB >/dev/null 2>&1 || { echo "redis-cli -p $LIMIT_REDIS_PORT FLUSHDB failed"; return 1; }
  answer=$("${HARNESS[@]}" get "$1" --expect-body hello --expect-header ratelimit) ||
    { echo "$answer"; return 1; }
  keys=$(limit_redis_cli --raw KEYS "$LIMIT_REDIS_PREFIX*" 2>&1) || true
  keys=$(grep "^$LIMIT_REDIS_PREFIX" <<<"$keys" | tr '\n' ' ')
  if [[ -z $keys ]]; then
    echo "no key in the store: after a request through it, redis-cli -p $LIMIT_REDIS_PORT KEYS '$LIMIT_REDIS_PREFIX*' is empty (the limit is not shared through Redis)"
    return 1
  fi
  echo "Redis 127.0.0.1:$LIMIT_REDIS_PORT holds ${keys% }"
}
