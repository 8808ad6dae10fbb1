# shellcheck shell=bash
# The limit shapes' rate limits, per proxy: feature shapes of the group limits (bench/run's
# FEATURE_SHAPES). Sourced by bench/run after servers.sh.
#
# A limit shape limit-K (listed in bench/run's FEATURE_SHAPES in the group limits, with a title
# and gw's bound) is the block of functions limit_K_* below, the parts servers.sh names:
#   limit_K_make               makes what the shape needs once per run (a store, ...); may be
#                              missing
#   limit_K_gw_document        gw's document: the top-level sections the shape needs (redis,
#                              ...); may be missing
#   limit_K_gw_route           gw's document: the route's rateLimits line
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
