#!/usr/bin/env bash
# `just scale-test`: Lingo past one machine, in containers here. Brings up the scale profile
# (deploy/docker-compose.scale.yml: HAProxy in front of 2 api replicas, 3 workers, 2
# schedulers, the stores of the normal stack) as its own compose project, runs the driver
# (deploy/scale/scale_test.py: reviews and echo jobs through HAProxy while a worker is
# SIGKILLed, api-1 then api-2 and then every worker get a rolling restart), prints the figures
# and tears the stack down with its volumes. Exit status: the driver's (1 when a request failed,
# a job or a review was lost, or a scheduler tick did not fire exactly once).
#
#   deploy/scale-test.sh [driver options]      e.g. --duration 60
#
# The lingo image must exist (deploy/images/build.sh lingo, or `just containers`); only the
# small haproxy image is built here (cached). Secrets are generated per run and never written
# to disk. Loopback ports: HAProxy 7380 (LINGO_SCALE_HTTP_PORT), the api replicas 7381-7382.
# LINGO_SCALE_KEEP=1 leaves the stack up after the run (then: deploy/scale-test.sh down); the
# logs of every container are kept in .dev/scale/last-run.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_TAG=scale
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"

: "${LINGO_SCALE_PROJECT:=lingo-scale}"
: "${LINGO_SCALE_HTTP_PORT:=7380}"
: "${LINGO_SCALE_API_PORTS:=7381-7382}"
export LINGO_SCALE_HTTP_PORT
export LINGO_CONTAINERS_HTTP_PORT="$LINGO_SCALE_API_PORTS" LINGO_CONTAINERS_HTTP_BIND=127.0.0.1
# no dictionary data: the driver's learner adds its own (private) words
SCALE_DATA="$ROOT/.dev/scale/data"
export LINGO_CONTAINERS_DATA_DIR="$SCALE_DATA" LINGO_CONTAINERS_DICTD_DIR="$SCALE_DATA" \
    LINGO_CONTAINERS_WORDNET_DIR="$SCALE_DATA"

COMPOSE=(docker-compose)
command -v docker-compose >/dev/null 2>&1 || COMPOSE=(docker compose)
COMPOSE+=(-p "$LINGO_SCALE_PROJECT" -f "$ROOT/deploy/docker-compose.yml"
    -f "$ROOT/deploy/docker-compose.local.yml" -f "$ROOT/deploy/docker-compose.scale.yml")
compose() { "${COMPOSE[@]}" "$@"; }

random_secret() { python3 -c 'import secrets; print(secrets.token_hex(32))'; }

secrets_env() {
    export LINGO_JWT_SECRET="${LINGO_JWT_SECRET:-$(random_secret)}"
    export LINGO_OTP_PEPPER="${LINGO_OTP_PEPPER:-$(random_secret)}"
    export POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-$(random_secret)}"
    # production refuses the log senders: the local SMS and SMTP sinks of docker-compose.local.yml
    export LINGO_SMS_PROVIDER=kavenegar LINGO_KAVENEGAR_BASE_URL=http://sms-sink:8025
    export LINGO_KAVENEGAR_API_KEY="${LINGO_KAVENEGAR_API_KEY:-$(random_secret)}"
    export LINGO_EMAIL_PROVIDER=smtp LINGO_EMAIL_SMTP_HOST=mail-sink LINGO_EMAIL_SMTP_PORT=2525 \
        LINGO_EMAIL_SMTP_TLS=none LINGO_EMAIL_FROM=lingo@localhost \
        LINGO_EMAIL_LINK_BASE_URL=https://localhost
}

images() {
    eval "$("$ROOT/deploy/images/build.sh" print-env)"
    export LINGO_IMAGE_APP LINGO_IMAGE_POSTGRES LINGO_IMAGE_REDIS LINGO_IMAGE_MONGO LINGO_IMAGE_HAPROXY
    docker image inspect "$LINGO_IMAGE_APP" >/dev/null 2>&1 ||
        die "$LINGO_IMAGE_APP missing: build it first (deploy/images/build.sh lingo, or just containers)"
    "$ROOT/deploy/images/build.sh" stores haproxy
}

down() { compose down -v --remove-orphans >/dev/null 2>&1 || true; }

main() {
    command -v docker >/dev/null 2>&1 || die "docker not found"
    if [ "${1:-}" = down ]; then
        secrets_env
        images >/dev/null
        down
        return 0
    fi
    images
    secrets_env
    mkdir -p "$SCALE_DATA"
    # a stack left by an interrupted run is dropped first
    down
    [ "${LINGO_SCALE_KEEP:-0}" = 1 ] || trap down EXIT
    log "compose up (project $LINGO_SCALE_PROJECT): HAProxy, api x2, worker x3, scheduler x2"
    compose up -d --scale api=2 --scale worker=3 --scale scheduler=2 \
        postgres mongo redis migrate mail-sink sms-sink api worker scheduler lb
    local status=0
    python3 "$ROOT/deploy/scale/scale_test.py" --compose "${COMPOSE[*]}" \
        --project "$LINGO_SCALE_PROJECT" --port "$LINGO_SCALE_HTTP_PORT" "$@" || status=$?
    # every container's log, for a look after the teardown
    compose logs --no-color --timestamps >"$ROOT/.dev/scale/last-run.log" 2>&1 || true
    [ "$status" -eq 0 ] || warn "the stack's logs: .dev/scale/last-run.log"
    log "tearing the stack down (volumes too)"
    return "$status"
}

main "$@"
