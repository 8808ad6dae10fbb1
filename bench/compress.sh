# shellcheck shell=bash disable=SC2034  # COMPRESS_JSON_SIZE is read by servers.sh
# The compression shapes: each proxy compressing the origin's answer with gzip, per proxy:
# feature shapes of the group compress (bench/run's FEATURE_SHAPES). Sourced by bench/run after
# servers.sh; it reads TMP, HARNESS and FEATURE_HEADER from bench/run, and fills FEATURE_HEADER.
#
# A compression shape compress-K (listed in bench/run's FEATURE_SHAPES in the group compress,
# with a title, its path and gw's bound) is the block of functions compress_K_* below, the
# parts servers.sh names:
#   compress_K_make            sets FEATURE_HEADER[compress-K]: the request asks for gzip
#   compress_K_probe URL TGT   the shape's probe (in place of 5b's): the origin and gw-plain
#                              must send the JSON as it is, the others gzip that unpacks to it
#   compress_K_gw_route        gw's document: the route's compress line
#   compress_K_nginx_location  nginx, in the proxying location: gzip at level 5
#   compress_K_haproxy_frontend  HAProxy, in the frontend: gzip for JSON
#   compress_K_haproxy_global  HAProxy, in its global section: tune.comp.maxlevel 5
#
# The origin (servers.sh's write_origin) serves TMP/www/json, made at the run's start by
# `harness.py json-doc`: an array of product records (ids, SKUs, names, prices, currencies,
# stock, tags, ratings, dates) of exactly COMPRESS_JSON_SIZE bytes, the same every run (a fixed
# seed), with Content-Type application/json, and never compresses it itself (gzip off); gzip
# at level 5 makes some 17 KiB of it (about 1:4). Every proxy compresses it at the same level
# 5: gw's own (zlib, level 5), nginx's gzip_comp_level 5, HAProxy's tune.comp.maxlevel 5.

# The size of the JSON answer, in bytes (the origin's /json, written by write_origin).
COMPRESS_JSON_SIZE=65536
# The level every proxy compresses at (gw's is fixed at 5).
COMPRESS_LEVEL=5

# ---------------------------------------------------------------------------------------------
# compress-json: the 64 KiB JSON answer, every request with Accept-Encoding: gzip.
#   - gw: the route's `compress: {encodings: [gzip]}` (gw's defaults otherwise: level 5,
#     answers of 1 KiB and more, JSON among the compressible types); gw-plain: the same route
#     without it, so that gw over gw-plain is what compressing costs.
#   - nginx: gzip on, gzip_comp_level 5, gzip_types application/json, gzip_min_length 1024,
#     gzip_proxied any, in the proxying location.
#   - HAProxy: `compression algo gzip` and `compression type application/json` in the
#     frontend, and tune.comp.maxlevel 5 in global (its default cap is 1). Debian 12's HAProxy
#     2.6 is built with libslz, not zlib (`haproxy -vv`: +SLZ -ZLIB): slz has no levels (about
#     zlib's 1 whatever the cap), so its answer is some 21.5 KB where gw's and nginx's are some
#     13 KB: a cheaper, lighter compression than level 5, for reference beside nginx's.
compress_json_make() { FEATURE_HEADER["compress-json"]="Accept-Encoding: gzip"; }
compress_json_gw_route() { echo "    compress: {encodings: [gzip]}"; }
compress_json_nginx_location() {
  cat <<EOF
      gzip on;
      gzip_comp_level $COMPRESS_LEVEL;
      gzip_types application/json;
      gzip_min_length 1024;
      gzip_proxied any;
EOF
}
compress_json_haproxy_global() { echo "  tune.comp.maxlevel $COMPRESS_LEVEL"; }
compress_json_haproxy_frontend() {
  cat <<EOF
  compression algo gzip
  compression type application/json
EOF
}
# compress_json_probe URL TARGET: one request with Accept-Encoding: gzip. The origin and
# gw-plain must answer with the JSON itself (no Content-Encoding, COMPRESS_JSON_SIZE bytes), the
# proxies that compress with Content-Encoding: gzip and a body that gunzips to the same JSON
# byte for byte. Prints the status, the size sent and the fields; fails with why not.
compress_json_probe() {
  local answer expect=(--expect-gunzip-file "$TMP/www/json")
  [[ $2 == origin || $2 == gw-plain ]] && expect=(--expect-identity-file "$TMP/www/json")
  if [[ $2 != origin && $2 != gw-plain ]]; then
    expect+=(--expect-header-prefix "Content-Encoding: gzip")
  fi
  if ! answer=$("${HARNESS[@]}" get "$1" --header "${FEATURE_HEADER[compress-json]}" \
    --expect-header-prefix "Content-Type: application/json" "${expect[@]}"); then
    if [[ $answer == *"no Content-Encoding header"* ]]; then
      echo "not compressed: the answer to Accept-Encoding: gzip has no Content-Encoding: gzip" \
        "($(paste -sd' ' <<<"$answer"))"
    else
      echo "$answer"
    fi
    return 1
  fi
  echo "$answer"
}
