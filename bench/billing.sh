# shellcheck shell=bash disable=SC2034  # FEATURE_CANNOT, which it fills, is read by bench/run
# The billing shapes: usage metering, per proxy: feature shapes of the group billing (bench/run's
# FEATURE_SHAPES). Sourced by bench/run after servers.sh and auth.sh; it reads TMP, HARNESS and
# FEATURE_HEADER from bench/run, the API key and its consumer from auth.sh (auth-key's), and
# fills FEATURE_HEADER and FEATURE_CANNOT for it.
#
# A billing shape NAME (listed in bench/run's FEATURE_SHAPES in the group billing, with a title
# and gw's bound) is the block of functions NAME_* below, the parts servers.sh names:
#   NAME_make                      makes what the shape needs once per run (the credential of
#                                  the consumer whose requests are counted) and sets
#                                  FEATURE_HEADER[NAME]
#   NAME_gw_document BIN           gw's document: the consumer, and metering on
#   NAME_gw_route                  gw's document: the route's auth line (a consumer is named)
#   NAME_gw_check URL TARGET       after gw's probe: one more request, then usage in usage.db
#   NAME_plain_gw_document BIN     gw-plain's: the same gateway with metering off, so that gw
#   NAME_plain_gw_route            over gw-plain is what metering adds, and nothing else
#   NAME_plain_gw_check URL TARGET after gw-plain's probe: no usage counted
# A peer that cannot meter gets no functions for it and a reason in FEATURE_CANNOT[NAME/PEER]:
# its cell is then skipped with that note, not stood in for.

# ---------------------------------------------------------------------------------------------
# metering: the request of auth-key (the same API key in x-api-key, the same consumer with its
# SHA-256, the route's `auth: {methods: [api-key]}`), with usage metering on (`metering:
# {enabled: true, store: sqlite}`, no events file): gw counts every request of the consumer in
# its worker's table (per consumer, route, UTC day and status class, with bytes and latency)
# and a thread of its own flushes the counts to TMP/gw-home/usage.db (SQLite, WAL) twice a
# second. Its gw-plain is the same gateway with `metering: {enabled: false}`: the key is checked
# alike, nothing counted, so the ratio is metering's cost alone (that gw-plain is auth-key's gw
# row). Neither peer meters usage per consumer; their cells are skipped, not stood in for by an
# access log.
FEATURE_CANNOT["metering/nginx"]="open-source nginx keeps no usage per consumer (no counters per consumer and route, nothing stored); the nearest, an access log line per request, is other work (PEER_LOGS=1 measures it)"
FEATURE_CANNOT["metering/haproxy"]="HAProxy keeps no usage per consumer in a store (a stick-table counter per key lives in memory until it expires, the work limit-local measures); the nearest, a log line per request, is other work (PEER_LOGS=1 measures it)"

metering_make() {
  auth_key_make || return 1
  FEATURE_HEADER["metering"]=${FEATURE_HEADER[auth-key]}
}
metering_gw_document() {
  auth_key_consumers
  echo "metering: {enabled: true, store: sqlite}"
}
metering_gw_route() { auth_key_gw_route; }
# metering_gw_check URL TARGET: one more request of the consumer through gw, then within 2.5 s
# (five of gw's flushes) its count in TMP/TARGET-home/usage.db must have grown.
metering_gw_check() {
  local home=$TMP/$2-home before after answer
  before=$(gw_usage_requests "$home" "$AUTH_CONSUMER") || { echo "usage.db: $before"; return 1; }
  answer=$("${HARNESS[@]}" get "$1" --expect-body hello --header "${FEATURE_HEADER[metering]}") ||
    { echo "$answer"; return 1; }
  for _ in $(seq 25); do
    sleep 0.1
    after=$(gw_usage_requests "$home" "$AUTH_CONSUMER") || { echo "usage.db: $after"; return 1; }
    if ((after > before)); then
      echo "usage.db counts consumer $AUTH_CONSUMER's requests: $before before one more request, $after after"
      return 0
    fi
  done
  if [[ -f $home/usage.db ]]; then
    echo "no usage in $home/usage.db: consumer $AUTH_CONSUMER's requests stay at $before 2.5 s after one more request (metering does not count, or does not flush)"
  else
    echo "no usage in $home/usage.db: no such file 2.5 s after one more request (a gw without usage metering?)"
  fi
  return 1
}
metering_plain_gw_document() {
  auth_key_consumers
  echo "metering: {enabled: false}"
}
metering_plain_gw_route() { auth_key_gw_route; }
metering_plain_gw_check() { gw_check_unmetered "$1" "$2" metering "$AUTH_CONSUMER"; }
