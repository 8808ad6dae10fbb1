# shellcheck shell=bash
# The cache shapes: each proxy's response cache, per proxy: feature shapes of the group cache
# (bench/run's FEATURE_SHAPES). Sourced by bench/run after servers.sh; it reads TMP, HARNESS and
# origin_status from bench/run.
#
# A cache shape cache-K (listed in bench/run's FEATURE_SHAPES in the group cache, with a title
# and gw's bound) is the block of functions cache_K_* below, the parts servers.sh names:
#   cache_K_gw_route          gw's document: the route's cache line
#   cache_K_gw_check URL TGT  after gw's probe: a request that must be a hit (Cache-Status
#                             "gw; hit", and the origin not asked)
#   cache_K_nginx_http        nginx, in its http block: the cache's folder and keys zone
#   cache_K_nginx_location    nginx, in the proxying location: the cache, its TTL, and the
#                             X-Cache-Status field the probe reads
#   cache_K_nginx_check URL TGT      after nginx's probe: the same for nginx (X-Cache-Status HIT)
#   cache_K_haproxy_sections  HAProxy, top-level sections: its cache
#   cache_K_haproxy_frontend  HAProxy, in the frontend: the cache used and filled
#   cache_K_haproxy_check URL TGT    after HAProxy's probe: the same for HAProxy (an Age field)
#
# The origin's answers say nothing about caching (no Cache-Control, Expires, ETag or
# Last-Modified): what makes them storable is each proxy's own freshness for such answers, the
# same 60 s everywhere (gw's route maxAge, nginx's proxy_cache_valid, HAProxy's a Cache-Control
# it sets; see below). In a shape's rounds a proxy's entry expires at most once or twice (it
# was stored when the proxy started, for its probe): one request each to the origin among
# hundreds of thousands answered; the shape's table shows how many went through
# (answered/passed).

# Every proxy keeps an answer that says nothing this long.
CACHE_TTL_S=60

# ---------------------------------------------------------------------------------------------
# cache-hit: every request a hit. The load sends the same URL (GET /) again and again, so after
# the first request every answer comes from the proxy's cache: the 5-byte answer with its
# fields, with the cache's own (gw: Age and Cache-Status; nginx: the X-Cache-Status the probe
# reads; HAProxy: Age), and no request to the origin.
#   - gw: the route's `cache: {maxAge: 60s}` (the store's bounds are gw's defaults): gw looks the
#     URL up in its in-memory store and answers from it.
#   - nginx: proxy_cache with a keys zone in shared memory and the answer in a file under the
#     run's TMP (nginx's file cache: the page cache holds it, every hit reads it), its TTL
#     proxy_cache_valid 200 60s, concurrent misses collapsed (proxy_cache_lock, as gw does). Its
#     cache manager (and, for its first minute, its cache loader) are two more processes, counted
#     in nginx's CPU and RSS like its master.
#   - HAProxy: its built-in cache (shared memory, 1 KiB blocks), used and filled in the frontend.
#     HAProxy 2.6 stores no answer without an explicit expiry or a validator, and its cache's
#     max-age only caps one, so the frontend gives such answers `Cache-Control: max-age=60`
#     before they are stored: the same TTL, and one more field in every answer it sends.
cache_hit_gw_route() { echo "    cache: {maxAge: ${CACHE_TTL_S}s}"; }
cache_hit_nginx_http() {
  # 1 MiB of keys zone holds some 8,000 keys; the bench has one.
  cat <<EOF
  proxy_cache_path $TMP/nginx-tmp/cache levels=1:2 keys_zone=bench_cache:1m max_size=16m
    inactive=10m use_temp_path=off;
EOF
}
cache_hit_nginx_location() {
  cat <<EOF
      proxy_cache bench_cache;
      proxy_cache_valid 200 ${CACHE_TTL_S}s;
      proxy_cache_lock on;
      add_header X-Cache-Status \$upstream_cache_status;
EOF
}
cache_hit_haproxy_sections() {
  cat <<EOF
cache bench_cache
  total-max-size 16
  max-age $CACHE_TTL_S
EOF
}
cache_hit_haproxy_frontend() {
  cat <<EOF
  http-request cache-use bench_cache
  http-response set-header Cache-Control "max-age=$CACHE_TTL_S" unless { res.hdr(cache-control) -m found }
  http-response cache-store bench_cache
EOF
}

# cache_second_hit URL HEADER-CHECK...: a request to URL (a miss, if the entry is not there yet),
# then a second one that must be a hit: its answer the 5 bytes with the given harness.py get
# checks on its fields, and the origin's request counter (stub_status, which counts its own
# reading too) not moved by it. Prints what the second answer carried; fails with "not a hit: "
# and why.
cache_second_hit() {
  local url=$1 answer q0 q1 asked rc=0
  answer=$("${HARNESS[@]}" get "$url" --expect-body hello) || { echo "$answer"; return 1; }
  read -r _ _ q0 <<<"$(origin_status)"
  answer=$("${HARNESS[@]}" get "$url" --expect-body hello "${@:2}") || rc=$?
  read -r _ _ q1 <<<"$(origin_status)"
  if ((rc)); then
    echo "not a hit: the second request's answer: ${answer//$'\n'/; }"
    return 1
  fi
  if [[ -z $q0 || -z $q1 ]]; then
    echo "the origin's stub_status could not be read: its request count is unknown"
    return 1
  fi
  asked=$((q1 - q0 - 1))
  if ((asked != 0)); then
    echo "not a hit: the origin was asked $asked time(s) for the second request" \
      "(${answer//$'\n'/; })"
    return 1
  fi
  echo "the second request a hit: ${answer//$'\n'/; }, the origin not asked"
}
# gw says so in Cache-Status ("gw; hit; ttl=N").
cache_hit_gw_check() {
  cache_second_hit "$1" --expect-header-prefix "Cache-Status: gw; hit" --expect-header age
}
cache_hit_nginx_check() { cache_second_hit "$1" --expect-header-prefix "X-Cache-Status: HIT"; }
# HAProxy names no hit in its answer: an answer from its cache carries an Age field (the
# origin's have none), and the origin's count tells the rest.
cache_hit_haproxy_check() { cache_second_hit "$1" --expect-header age; }
