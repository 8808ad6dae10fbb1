# shellcheck shell=bash disable=SC2034  # the tables it fills are read by bench/run
# The auth shapes' credentials and each proxy's check of them: feature shapes of the group auth
# (bench/run's FEATURE_SHAPES). Sourced by bench/run after servers.sh; it reads TMP and
# GATEWAY_HEADERS from bench/run and fills FEATURE_HEADER (and AUTH_WRONG) for it.
#
# An auth shape auth-K (listed in bench/run's FEATURE_SHAPES in the group auth, with a title and
# gw's bound) is the block of functions auth_K_* below, the parts servers.sh names:
#   auth_K_make               makes the credential once per run (files in TMP/auth) and sets
#                             FEATURE_HEADER[auth-K], the "Name: value" header every request
#                             of the shape carries, and AUTH_WRONG[auth-K], a wrong one the
#                             proxies must refuse with a 401
#   auth_K_gw_document BIN    gw's document: the top-level sections the shape needs (consumers,
#                             and for a JWT row its jwtProviders), and metering off (below)
#   auth_K_gw_route           gw's document: the route's auth line
#   auth_K_gw_check URL TGT   after gw's probe: one more request, then no usage counted
#   auth_K_nginx_http         nginx, in its http block (a map, ...); may be missing
#   auth_K_nginx_location     nginx, in the proxying location: the check, then what gw does
#                             after it (drop the credential, name the consumer upstream)
#   auth_K_haproxy_sections   HAProxy, top-level sections (a userlist, ...); may be missing
#   auth_K_haproxy_frontend   HAProxy, in the frontend: the check, then the same as nginx
# A peer that cannot check a kind sensibly gets no functions for it and a reason in
# FEATURE_CANNOT[auth-K/PEER]: its cell is then skipped with that note, not faked.
#
# Every proxy that lets a request through does what gw does after its check (with
# GATEWAY_HEADERS=1, like the other gateway headers): the credential header is not forwarded
# and the origin gets x-gw-consumer with the consumer's name.
#
# A request that names a consumer is also what gw meters (usage counted per consumer and route,
# flushed to the home's usage.db; on unless the document says `metering: {enabled: false}`).
# The auth shapes measure the credential check alone: gw's document turns metering off (a gw
# that does not know the section, an older gw-base, meters nothing anyway), and the probe
# checks that one more request leaves no usage in usage.db. What metering costs is the shape
# metering's (bench/billing.sh).

# FEATURE_HEADER and FEATURE_CANNOT are bench/run's; AUTH_WRONG is the auth shapes' own.
declare -A AUTH_WRONG=()
FEATURE_CANNOT["auth-jwt/nginx"]="open-source nginx has no JWT check (auth_jwt is NGINX Plus only; nginx-light has no njs or Lua to script one)"
AUTH_CONSUMER=bench

# auth_dir: TMP/auth, where the credentials' files go, made by the first shape that needs it.
# nginx's workers (nobody, when started as root) read the htpasswd file: not listable, readable.
auth_dir() {
  AUTH_DIR=$TMP/auth
  [[ -d $AUTH_DIR ]] || mkdir -m 711 "$AUTH_DIR"
}

# auth_no_metering BIN: the document's metering section that turns it off, for a gw binary
# that knows it.
auth_no_metering() {
  gw_accepts "$1" "metering: {enabled: false}" && echo "metering: {enabled: false}"
  return 0
}

random_hex() { head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }
base64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

# ---------------------------------------------------------------------------------------------
# auth-key: an API key in x-api-key, as `gw consumer key create bench -q` makes it
# (gw_ID_SECRET); the document holds its SHA-256 only. gw hashes the key of every request and
# looks the digest up; nginx looks the key itself up in a map, HAProxy compares it in an ACL
# (both hold it in plain text: what they can do). Made once per run: the shape metering
# (bench/billing.sh) sends the same key for the same consumer.
auth_key_make() {
  local id secret
  [[ -n ${AUTH_KEY:-} ]] && return 0
  id=$(random_hex 4)
  secret=$(head -c 32 /dev/urandom | base64url)
  AUTH_KEY="gw_${id}_${secret}"
  AUTH_KEY_ID=$id
  AUTH_KEY_SHA256=$(printf '%s' "$AUTH_KEY" | sha256sum | cut -d' ' -f1)
  FEATURE_HEADER["auth-key"]="x-api-key: $AUTH_KEY"
  AUTH_WRONG[auth-key]="x-api-key: gw_${id}_$(head -c 32 /dev/urandom | base64url)"
  [[ ${#AUTH_KEY_SHA256} == 64 ]]
}
# The consumer with the key's digest (the shape metering's too).
auth_key_consumers() {
  cat <<EOF
consumers:
  - name: $AUTH_CONSUMER
    apiKeys: [{id: $AUTH_KEY_ID, sha256: $AUTH_KEY_SHA256}]
EOF
}
auth_key_gw_document() {
  auth_key_consumers
  auth_no_metering "$1"
}
auth_key_gw_route() { echo "    auth: {methods: [api-key]}"; }
auth_key_gw_check() { gw_check_unmetered "$1" "$2" auth-key "$AUTH_CONSUMER"; }
auth_key_nginx_http() {
  # A key of gw's form is longer than the default bucket (64 bytes) holds.
  cat <<EOF
  map_hash_bucket_size 128;
  map \$http_x_api_key \$api_consumer {
    default "";
    "$AUTH_KEY" $AUTH_CONSUMER;
  }
EOF
}
# shellcheck disable=SC2016  # nginx's variables, written as they are
auth_key_nginx_location() {
  echo '      if ($api_consumer = "") { return 401; }'
  [[ $GATEWAY_HEADERS == 1 ]] || return 0
  echo '      proxy_set_header X-API-Key "";'
  echo '      proxy_set_header X-GW-Consumer $api_consumer;'
}
auth_key_haproxy_frontend() {
  echo "  http-request deny deny_status 401 unless { req.hdr(x-api-key) -m str $AUTH_KEY }"
  [[ $GATEWAY_HEADERS == 1 ]] || return 0
  echo "  http-request del-header x-api-key"
  echo "  http-request set-header x-gw-consumer $AUTH_CONSUMER"
}

# ---------------------------------------------------------------------------------------------
# auth-basic: basic auth, user bench with a bcrypt hash of cost 10 as `htpasswd -nbB -C 10`
# writes it ($2y$10$...). gw verifies it once (on a thread of its own) and keeps an accepted
# verdict until 10 minutes after its last use (so a busy client never re-checks); nginx
# (auth_basic_user_file, which it also reads per request) and HAProxy (a userlist) call crypt(3)
# on every request: bcrypt each time, no cache.
# shellcheck disable=SC2016  # the bcrypt prefix, $2y$10$, literally
auth_basic_make() {
  local password
  auth_dir || return 1
  password=$(random_hex 12)
  AUTH_BASIC_HASH=$(htpasswd -nbB -C 10 "$AUTH_CONSUMER" "$password" | head -n1 | cut -d: -f2-)
  [[ $AUTH_BASIC_HASH == '$2y$10$'* ]] || return 1
  printf '%s:%s\n' "$AUTH_CONSUMER" "$AUTH_BASIC_HASH" >"$AUTH_DIR/htpasswd"
  chmod 644 "$AUTH_DIR/htpasswd"
  FEATURE_HEADER["auth-basic"]="Authorization: Basic $(printf '%s:%s' "$AUTH_CONSUMER" "$password" | base64 -w0)"
  AUTH_WRONG[auth-basic]="Authorization: Basic $(printf '%s:%s' "$AUTH_CONSUMER" "x$password" | base64 -w0)"
}
auth_basic_gw_document() {
  cat <<EOF
consumers:
  - name: $AUTH_CONSUMER
    basicAuth: [{user: $AUTH_CONSUMER, hash: "$AUTH_BASIC_HASH"}]
EOF
  auth_no_metering "$1"
}
auth_basic_gw_route() { echo "    auth: {methods: [basic]}"; }
auth_basic_gw_check() { gw_check_unmetered "$1" "$2" auth-basic "$AUTH_CONSUMER"; }
# shellcheck disable=SC2016  # nginx's variables, written as they are
auth_basic_nginx_location() {
  echo '      auth_basic "gw";'
  echo "      auth_basic_user_file $AUTH_DIR/htpasswd;"
  [[ $GATEWAY_HEADERS == 1 ]] || return 0
  echo '      proxy_set_header Authorization "";'
  echo '      proxy_set_header X-GW-Consumer $remote_user;'
}
auth_basic_haproxy_sections() {
  cat <<EOF
userlist bench_users
  user $AUTH_CONSUMER password $AUTH_BASIC_HASH
EOF
}
auth_basic_haproxy_frontend() {
  echo '  http-request auth realm gw unless { http_auth(bench_users) }'
  [[ $GATEWAY_HEADERS == 1 ]] || return 0
  echo "  http-request del-header authorization"
  echo "  http-request set-header x-gw-consumer $AUTH_CONSUMER"
}

# ---------------------------------------------------------------------------------------------
# auth-jwt: a JWT signed with ES256 (ECDSA P-256, SHA-256) in "Authorization: Bearer", the same
# token on every request: kid k1, iss https://bench.test/, aud bench, sub bench-user, exp a day
# ahead. The key pair is made per run by openssl, the token signed by openssl and put together
# by jwt.py (python3's standard library: the DER signature as the JWS's raw r || s). gw has the
# public key inline in its provider (a JWK set), maps sub to the consumer, and keeps a verified
# token until exp or a minute, whichever comes first: one ECDSA verification a minute, a cache
# lookup of the token on every other request. HAProxy (2.5 and later) verifies the signature
# with jwt_verify and its PEM public key on every request (no cache), and compares alg, iss,
# aud, sub and exp with jwt_header_query/jwt_payload_query, as gw does. nginx cannot
# (FEATURE_CANNOT above).
AUTH_JWT_KID=k1
AUTH_JWT_ISSUER=https://bench.test/
AUTH_JWT_AUDIENCE=bench
AUTH_JWT_SUBJECT=bench-user
AUTH_JWT_LIFETIME=86400
auth_jwt_make() {
  local token wrong
  local jwt=("$PY" "$BENCH_DIR/jwt.py")
  auth_dir || return 1
  mkdir -m 711 "$AUTH_DIR/jwt" "$AUTH_DIR/jwt-wrong" &&
    "${jwt[@]}" key "$AUTH_DIR/jwt" && "${jwt[@]}" key "$AUTH_DIR/jwt-wrong" || return 1
  AUTH_JWT_KEYS=$("${jwt[@]}" jwk "$AUTH_DIR/jwt" "$AUTH_JWT_KID") || return 1
  AUTH_JWT_PUBLIC=$AUTH_DIR/jwt/jwt-pub.pem
  token=$("${jwt[@]}" token "$AUTH_DIR/jwt" "$AUTH_JWT_KID" "$AUTH_JWT_ISSUER" \
    "$AUTH_JWT_AUDIENCE" "$AUTH_JWT_SUBJECT" "$AUTH_JWT_LIFETIME") || return 1
  # The same claims and kid signed with another key: only the signature tells it apart.
  wrong=$("${jwt[@]}" token "$AUTH_DIR/jwt-wrong" "$AUTH_JWT_KID" "$AUTH_JWT_ISSUER" \
    "$AUTH_JWT_AUDIENCE" "$AUTH_JWT_SUBJECT" "$AUTH_JWT_LIFETIME") || return 1
  [[ $token == *.*.* && $wrong == *.*.* ]] || return 1
  FEATURE_HEADER["auth-jwt"]="Authorization: Bearer $token"
  AUTH_WRONG[auth-jwt]="Authorization: Bearer $wrong"
}
auth_jwt_gw_document() {
  cat <<EOF
jwtProviders:
  - name: bench
    issuer: $AUTH_JWT_ISSUER
    audiences: [$AUTH_JWT_AUDIENCE]
    algorithms: [ES256]
    keys: '$AUTH_JWT_KEYS'
consumers:
  - name: $AUTH_CONSUMER
    jwt: [{provider: bench, value: $AUTH_JWT_SUBJECT}]
EOF
  auth_no_metering "$1"
}
auth_jwt_gw_route() { echo '    auth: {methods: ["jwt:bench"]}'; }
auth_jwt_gw_check() { gw_check_unmetered "$1" "$2" auth-jwt "$AUTH_CONSUMER"; }
auth_jwt_haproxy_frontend() {
  echo '  http-request set-var(txn.jwt) http_auth_bearer'
  echo "  http-request set-var(txn.jwt_alg) var(txn.jwt),jwt_header_query('\$.alg')"
  echo "  http-request set-var(txn.jwt_kid) var(txn.jwt),jwt_header_query('\$.kid')"
  echo "  http-request set-var(txn.jwt_iss) var(txn.jwt),jwt_payload_query('\$.iss')"
  echo "  http-request set-var(txn.jwt_aud) var(txn.jwt),jwt_payload_query('\$.aud')"
  echo "  http-request set-var(txn.jwt_sub) var(txn.jwt),jwt_payload_query('\$.sub')"
  echo "  http-request set-var(txn.jwt_exp) var(txn.jwt),jwt_payload_query('\$.exp','int')"
  echo '  http-request set-var(txn.now) date()'
  echo "  http-request deny deny_status 401 unless { var(txn.jwt_alg) -m str ES256 }" \
    "{ var(txn.jwt_kid) -m str $AUTH_JWT_KID } { var(txn.jwt_iss) -m str $AUTH_JWT_ISSUER }" \
    "{ var(txn.jwt_aud) -m str $AUTH_JWT_AUDIENCE } { var(txn.jwt_sub) -m str $AUTH_JWT_SUBJECT }" \
    "{ var(txn.jwt_exp),sub(txn.now) -m int gt 0 }" \
    "{ var(txn.jwt),jwt_verify(ES256,\"$AUTH_JWT_PUBLIC\") -m int 1 }"
  [[ $GATEWAY_HEADERS == 1 ]] || return 0
  echo "  http-request del-header authorization"
  echo "  http-request set-header x-gw-consumer $AUTH_CONSUMER"
}
