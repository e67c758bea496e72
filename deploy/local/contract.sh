#!/usr/bin/env bash
# The contract check (docs/api-contract.md): the served OpenAPI document is valid
# (openapi-spec-validator) and the server keeps to it (schemathesis, every operation, all checks,
# a fixed seed, once with a learner's token and once with an administrator's).
#
#   deploy/local/contract.sh          build, start a private api, validate, fuzz, stop
#
# It runs against the stores that already answer (`stack.sh stores`), in a database, a MongoDB
# database and a Redis key prefix of its own (dropped at the end), with the api on a private port,
# so it never touches the development stack. Exit status 1 when schemathesis reports a failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOG_TAG=contract
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
ensure_cargo_path

SCHEMATHESIS_VERSION=4.32.5
VALIDATOR_VERSION=0.7.2
export PYTHONWARNINGS="ignore::FutureWarning"
SEED="${CONTRACT_SEED:-20261202}"
EXAMPLES="${CONTRACT_EXAMPLES:-50}"
PORT="${CONTRACT_PORT:-18431}"
VENV="$ROOT/.dev/venv"
RUN="contract_$(date +%s)_$$"
WORK="$ROOT/.dev/contract"
mkdir -p "$WORK"

: "${LINGO_DATABASE_URL:=postgres://postgres@127.0.0.1:5432/lingo}"
: "${LINGO_MONGO_URL:=mongodb://127.0.0.1:27017}"
: "${LINGO_REDIS_URL:=redis://127.0.0.1:6379/0}"
ADMIN_URL="$LINGO_DATABASE_URL"
export LINGO_DATABASE_URL="${ADMIN_URL%/*}/$RUN"
export LINGO_MONGO_URL LINGO_REDIS_URL
export LINGO_MONGO_DATABASE="$RUN"
export LINGO_REDIS_PREFIX="$RUN:"
export LINGO_HTTP_PORT="$PORT"
export LINGO_ENV=development
export LINGO_SKIP_DATA=1
# Rate limits have their own tests; here they would only turn valid requests into 429s.
export LINGO_RATE_LIMIT_AUTH_PER_MINUTE=1000000
# No outbound calls: a lookup the stores cannot answer is a 404, wherever CI runs.
export LINGO_DICTIONARY_PROVIDERS=none

venv_create "$VENV"
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION" \
    || ! "$VENV/bin/python" -c "import openapi_spec_validator" 2>/dev/null; then
    venv_pip_install "$VENV" "schemathesis==$SCHEMATHESIS_VERSION" \
        "openapi-spec-validator==$VALIDATOR_VERSION"
fi

log "building lingo-api and lingo-admin"
cargo build -q -p lingo-api -p lingo-admin
TARGET="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
API="$TARGET/debug/lingo-api"
ADMIN="$TARGET/debug/lingo-admin"

API_PID=""
cleanup() {
    local rc=$?
    [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
    psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$RUN\" WITH (FORCE)" >/dev/null 2>&1 || true
    "$VENV/bin/python" - "$LINGO_MONGO_URL" "$RUN" <<'EOF' >/dev/null 2>&1 || true
import sys
try:
    import pymongo
    pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=2000).drop_database(sys.argv[2])
except Exception:
    pass
EOF
    redis-cli -u "$LINGO_REDIS_URL" --scan --pattern "$RUN:*" 2>/dev/null \
        | xargs -r -n 500 redis-cli -u "$LINGO_REDIS_URL" DEL >/dev/null 2>&1 || true
    exit "$rc"
}
trap cleanup EXIT

log "fresh database $RUN"
psql -q "$ADMIN_URL" -c "CREATE DATABASE \"$RUN\"" >/dev/null
"$ADMIN" migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; die "migrate failed"; }

"$API" >"$WORK/api.log" 2>&1 &
API_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
    curl -fsS "$BASE/api/v1/ready" >/dev/null 2>&1 && break
    kill -0 "$API_PID" 2>/dev/null || { tail -50 "$WORK/api.log" >&2; die "the api stopped"; }
    sleep 0.5
done
curl -fsS "$BASE/api/v1/ready" >/dev/null || die "the api is not ready (see $WORK/api.log)"

log "validating the served document (openapi-spec-validator $VALIDATOR_VERSION)"
curl -fsS "$BASE/api/v1/openapi.json" -o "$WORK/openapi.json"
"$VENV/bin/openapi-spec-validator" "$WORK/openapi.json"

# Sign-up answers 202 and signs in through the emailed link; the development sender logs it.
register() {
    local offset
    offset="$(stat -c %s "$WORK/api.log")"
    curl -fsS -X POST "$BASE/api/v1/auth/register" -H 'content-type: application/json' \
        -d "{\"email\":\"$1@contract.example\",\"password\":\"contract-password-1\",\"display_name\":\"$1\"}" >/dev/null
    local token=""
    for _ in $(seq 1 50); do
        token="$(tail -c +"$((offset + 1))" "$WORK/api.log" | grep -o 'verify-email?token=[A-Za-z0-9_-]*' | head -n1 | cut -d= -f2)"
        [ -n "$token" ] && break
        sleep 0.2
    done
    [ -n "$token" ] || die "no verification link for $1 in $WORK/api.log"
    curl -fsS -X POST "$BASE/api/v1/auth/email/verify" -H 'content-type: application/json' \
        -d "{\"token\":\"$token\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
login() {
    curl -fsS -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
        -d "{\"email\":\"$1@contract.example\",\"password\":\"contract-password-1\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
LEARNER_TOKEN="$(register learner)"
register admin >/dev/null
"$ADMIN" users --operator contract grant-admin admin@contract.example >/dev/null
ADMIN_TOKEN="$(login admin)"

# The operations that end the caller's own sessions run last, with a token of their own, so
# that they cannot turn every other operation into a 401.
SELF_ENDING=(--include-operation-id delete_me --include-operation-id post_auth_logout_all --include-operation-id post_me_password)
OTHERS=(--exclude-operation-id delete_me --exclude-operation-id post_auth_logout_all --exclude-operation-id post_me_password)
# CONTRACT_OPERATION=<operationId> runs only that operation, as the learner (while fixing one).
if [ -n "${CONTRACT_OPERATION:-}" ]; then
    OTHERS=(--include-operation-id "$CONTRACT_OPERATION")
fi

# The rules no schema can state, taught to the generator (deploy/local/contract_hooks.py).
export PYTHONPATH="$ROOT/deploy/local${PYTHONPATH:+:$PYTHONPATH}"
export SCHEMATHESIS_HOOKS=contract_hooks

fuzz() {
    local who="$1" token="$2"
    shift 2
    log "schemathesis $SCHEMATHESIS_VERSION as the $who (seed $SEED, $EXAMPLES examples per operation)"
    "$VENV/bin/schemathesis" --no-color run "$WORK/openapi.json" --url "$BASE" \
        --header "Authorization: Bearer $token" \
        --checks all --seed "$SEED" --max-examples "$EXAMPLES" \
        --phases examples,coverage,fuzzing,stateful \
        --request-timeout 30 --workers 2 \
        --report junit --report-dir "$WORK/$who" \
        "$@"
}
STATUS=0
T0=$SECONDS
fuzz learner "$LEARNER_TOKEN" "${OTHERS[@]}" || STATUS=1
if [ -n "${CONTRACT_OPERATION:-}" ]; then exit "$STATUS"; fi
fuzz admin "$ADMIN_TOKEN" "${OTHERS[@]}" || STATUS=1
fuzz learner-self "$(register learner-self)" "${SELF_ENDING[@]}" || STATUS=1
fuzz admin-self "$(login admin)" "${SELF_ENDING[@]}" || STATUS=1
log "schemathesis took $((SECONDS - T0)) s"
exit "$STATUS"
