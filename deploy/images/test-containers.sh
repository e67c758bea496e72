#!/usr/bin/env bash
# The integration tests against stores in containers (`just test-containers`, a CI step):
#   1. the store images, built here with no registry (deploy/images/build.sh stores; cached);
#   2. lingo-test-containers starts them with testcontainers (lingo-test-support's
#      `testcontainers` feature) as one session of named, reused containers and prints their URLs;
#   3. the workspace's tests run with --features lingo-test-support/testcontainers against them
#      (every test process finds the session's containers; tests that read LINGO_*_URL directly,
#      like the Redis adapter's, get the same URLs);
#   4. the session's containers are removed, whatever the outcome.
# Arguments go to nextest/cargo test (e.g. `-p lingo-api`). The local stores are not used: the
# LINGO_*_URL of the caller's environment are replaced.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOG_TAG=test-containers
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
ensure_cargo_path
cd "$ROOT"

"$ROOT/deploy/images/build.sh" stores
eval "$("$ROOT/deploy/images/build.sh" print-env)"
export LINGO_IMAGE_POSTGRES LINGO_IMAGE_REDIS LINGO_IMAGE_MONGO
export LINGO_TEST_CONTAINERS_SESSION="${LINGO_TEST_CONTAINERS_SESSION:-run$$}"
unset LINGO_DATABASE_URL LINGO_REDIS_URL LINGO_MONGO_URL

cleanup() {
    local ids
    ids="$(docker ps -aq --filter "label=org.lingo.test-session=$LINGO_TEST_CONTAINERS_SESSION")"
    if [ -n "$ids" ]; then
        log "removing the session's containers ($LINGO_TEST_CONTAINERS_SESSION)"
        # shellcheck disable=SC2086
        docker rm -f -v $ids >/dev/null
    fi
}
trap cleanup EXIT

FEATURES=(--features lingo-test-support/testcontainers)
log "starting the stores with testcontainers (session $LINGO_TEST_CONTAINERS_SESSION)"
urls="$(cargo run -q -p lingo-test-support "${FEATURES[@]}" --bin lingo-test-containers)"
eval "$urls"
export LINGO_DATABASE_URL LINGO_REDIS_URL LINGO_MONGO_URL
printf '%s\n' "$urls" | sed 's#//\([^:/]*\):[^@]*@#//\1:***@#' >&2
docker ps --filter "label=org.lingo.test-session=$LINGO_TEST_CONTAINERS_SESSION" \
    --format '  {{.Names}}  {{.Image}}  {{.Status}}' >&2

# the whole workspace unless packages are named (`just test-containers -p lingo-api`)
scope=(--workspace)
# (cargo takes `--features lingo-test-support/…` only when lingo-test-support is selected too)
for a in "$@"; do case "$a" in -p | --package | -p* | --package=*) scope=(-p lingo-test-support) ;; esac; done
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run "${scope[@]}" "${FEATURES[@]}" --no-fail-fast "$@"
else
    cargo test "${scope[@]}" "${FEATURES[@]}" --no-fail-fast "$@"
fi
