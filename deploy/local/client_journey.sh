#!/usr/bin/env bash
# The generated-client journey (docs/api-contract.md, "A generated client proves it"): a Python
# client is generated with openapi-python-client from the document a running api SERVES, and a
# whole learner's journey (deploy/client/journey.py) is driven through that client only.
#
#   deploy/local/client_journey.sh     build, start a private api + worker, generate, run, stop
#
# Like contract.sh it runs against the stores that already answer (`stack.sh stores`), in a
# database, a MongoDB database and a Redis key prefix of its own (dropped at the end), with the
# api on a private port. The generator runs with --fail-on-warning: a document change that the
# client cannot represent fails the run, as does any failed step of the journey (exit 1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOG_TAG=client-journey
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
ensure_cargo_path

GENERATOR_VERSION=0.29.1
PORT="${CLIENT_JOURNEY_PORT:-18432}"
VENV="$ROOT/.dev/venv"
RUN="journey_$(date +%s)_$$"
WORK="$ROOT/.dev/client-journey"
# --meta none writes the bare package: $WORK goes on PYTHONPATH
CLIENT_DIR="$WORK/lingo_client"
FIXTURES="$ROOT/deploy/client/fixtures"
rm -rf "$WORK"
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
# The journey signs in by phone through the development sender, which logs the code.
export LINGO_SMS_PROVIDER=log
export LINGO_LOG_FORMAT=json
export LINGO_LOG="${LINGO_LOG:-info}"
# Rate limits have their own tests; one journey stays far below them, but CI machines are slow.
export LINGO_RATE_LIMIT_AUTH_PER_MINUTE=1000000
# No outbound calls: lookups are answered from the fixture imported below, or are a 404.
export LINGO_DICTIONARY_PROVIDERS=none
export LINGO_IMPORT_ROOTS="$FIXTURES"
# Metrics listeners on private ports too (the default 9090 is the development stack's).
API_METRICS="127.0.0.1:$((PORT + 1))"
WORKER_METRICS="127.0.0.1:$((PORT + 2))"

venv_create "$VENV"
if ! "$VENV/bin/openapi-python-client" --version 2>/dev/null | grep -q "$GENERATOR_VERSION"; then
    venv_pip_install "$VENV" "openapi-python-client==$GENERATOR_VERSION"
fi

log "building lingo-api, lingo-worker and lingo-admin"
cargo build -q -p lingo-api -p lingo-worker -p lingo-admin
TARGET="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
API="$TARGET/debug/lingo-api"
WORKER="$TARGET/debug/lingo-worker"
ADMIN="$TARGET/debug/lingo-admin"

API_PID=""
WORKER_PID=""
cleanup() {
    local rc=$?
    [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
    [ -n "$WORKER_PID" ] && kill "$WORKER_PID" 2>/dev/null && wait "$WORKER_PID" 2>/dev/null
    psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$RUN\" WITH (FORCE)" >/dev/null 2>&1 || true
    "$VENV/bin/python" - "$LINGO_MONGO_URL" "$RUN" <<'PY' >/dev/null 2>&1 || true
import sys
try:
    import pymongo
    pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=2000).drop_database(sys.argv[2])
except Exception:
    pass
PY
    redis-cli -u "$LINGO_REDIS_URL" --scan --pattern "$RUN:*" 2>/dev/null \
        | xargs -r -n 500 redis-cli -u "$LINGO_REDIS_URL" DEL >/dev/null 2>&1 || true
    [ "$rc" -eq 0 ] || warn "failed; logs in ${WORK#"$ROOT/"}/{api,worker}.log"
    exit "$rc"
}
trap cleanup EXIT

log "fresh database $RUN"
psql -q "$ADMIN_URL" -c "CREATE DATABASE \"$RUN\"" >/dev/null
"$ADMIN" migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; die "migrate failed"; }

LINGO_METRICS_ADDR="$WORKER_METRICS" "$WORKER" >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!
LINGO_METRICS_ADDR="$API_METRICS" "$API" >"$WORK/api.log" 2>&1 &
API_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
    curl -fsS "$BASE/api/v1/ready" >/dev/null 2>&1 && break
    kill -0 "$API_PID" 2>/dev/null || { tail -50 "$WORK/api.log" >&2; die "the api stopped"; }
    sleep 0.5
done
curl -fsS "$BASE/api/v1/ready" >/dev/null || die "the api is not ready (see $WORK/api.log)"

log "dictionary fixture: lingo-admin dictionary import (kaikki, $(wc -l <"$FIXTURES/journey-en.jsonl") entries)"
"$ADMIN" dictionary import --format kaikki --source journey-fixture --licence CC0-1.0 \
    --language en --wait "$FIXTURES/journey-en.jsonl" >"$WORK/import.log" 2>&1 \
    || { cat "$WORK/import.log" >&2; die "the fixture import failed"; }

log "generating the client from $BASE/api/v1/openapi.json (openapi-python-client $GENERATOR_VERSION)"
(
    cd "$WORK"
    "$VENV/bin/openapi-python-client" generate --url "$BASE/api/v1/openapi.json" \
        --config "$ROOT/deploy/client/openapi-python-client.yaml" --meta none \
        --output-path "$CLIENT_DIR" --overwrite --fail-on-warning
) >"$WORK/generate.log" 2>&1 || { cat "$WORK/generate.log" >&2; die "the generator refused the document"; }
# openapi-python-client exits 0 after some warnings in older releases; refuse them here as well.
if grep -qiE 'warning|could not|unable to|skipping' "$WORK/generate.log"; then
    cat "$WORK/generate.log" >&2
    die "the generator warned about the document"
fi

log "the journey (deploy/client/journey.py)"
T0=$SECONDS
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/deploy/client/journey.py" \
    --base-url "$BASE" --api-log "$WORK/api.log" --admin "$ADMIN"
log "journey passed in $((SECONDS - T0)) s"
