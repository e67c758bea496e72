#!/usr/bin/env bash
# Audio serving throughput (issue 14), standalone: a release lingo-api serving one rendered
# pronunciation (espeak-ng + opusenc, stored in GridFS by `lingo-admin audio render`), measured
# with wrk next to GET /api/v1/health on the same server:
#   health            GET /api/v1/health
#   audio (cached)    GET /api/v1/audio/{id} with If-None-Match  -> 304, no body
#   audio (whole)     GET /api/v1/audio/{id}                     -> 200, the whole file
#   audio (Range)     GET /api/v1/audio/{id} Range: bytes=0-1023 -> 206
# Prints one table. Everything it starts (the api, private stores) is stopped on exit.
# The lead wires it into `just bench` (deploy/local/bench.sh is not touched here).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
STACK="$ROOT/deploy/local/stack.sh"
DEV="$ROOT/.dev"
TARGET_DIR="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null || echo "$ROOT/target")}"
OUT="$DEV/bench"
command -v cargo >/dev/null 2>&1 || export PATH="${HOME:-/root}/.cargo/bin:$PATH"

log() { printf '[bench-audio] %s\n' "$*" >&2; }
die() { printf '[bench-audio] %s\n' "$*" >&2; exit 1; }

WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-64}"
WRK_DURATION="${WRK_DURATION:-10s}"

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ "${#need[@]}" -gt 0 ]; then
    log "installing ${need[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

mkdir -p "$OUT" "$DEV/pids"
store_records() { (cd "$DEV/pids" && shopt -s nullglob && for f in *.private; do echo "$f"; done); }
before="$(store_records)"
"$STACK" stores # also installs espeak-ng and opus-tools
after="$(store_records)"
STARTED_STORES="$(comm -13 <(echo "$before" | sort) <(echo "$after" | sort) | grep . || true)"
# shellcheck disable=SC1091
source "$DEV/env"

API_PID=""
cleanup() {
    if [ -n "$API_PID" ]; then
        kill "$API_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$API_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$API_PID" 2>/dev/null || true
    fi
    local rec
    for rec in $STARTED_STORES; do "$STACK" stop-store "$rec" || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

log "cargo build --release --bin lingo-api --bin lingo-admin"
cargo build --release --bin lingo-api --bin lingo-admin

"$TARGET_DIR/release/lingo-admin" migrate >&2
AUDIO_PATH="$(LINGO_SPEECH_ENGINE=espeak "$TARGET_DIR/release/lingo-admin" audio render en pronunciation | tail -n 1)"
case "$AUDIO_PATH" in /api/v1/audio/*) ;; *) die "lingo-admin audio render printed '$AUDIO_PATH'" ;; esac

API_PORT="$(free_port)"
BASE="http://127.0.0.1:$API_PORT"
log "starting release lingo-api on $BASE"
# The rate limits would measure the limiter, not the serving: lifted for the benchmark.
LINGO_HTTP_PORT="$API_PORT" LINGO_HTTP_HOST=127.0.0.1 LINGO_METRICS_ADDR=off \
    LINGO_RATE_LIMIT_LOOKUP_PER_MINUTE="${LINGO_RATE_LIMIT_LOOKUP_PER_MINUTE:-100000000}" \
    LINGO_RATE_LIMIT_ANONYMOUS_PER_MINUTE="${LINGO_RATE_LIMIT_ANONYMOUS_PER_MINUTE:-100000000}" \
    "$TARGET_DIR/release/lingo-api" >"$OUT/lingo-api-audio.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 150); do
    curl -fsS -o /dev/null --max-time 1 "$BASE/api/v1/health" 2>/dev/null && break
    kill -0 "$API_PID" 2>/dev/null || { tail -n 30 "$OUT/lingo-api-audio.log" >&2; die "lingo-api exited"; }
    sleep 0.2
done

ETAG="$(curl -fsS -D - -o "$OUT/audio.ogg" "$BASE$AUDIO_PATH" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')"
BYTES="$(wc -c <"$OUT/audio.ogg")"
[ -n "$ETAG" ] || die "no ETag on $AUDIO_PATH"
log "audio: $AUDIO_PATH, $BYTES bytes, ETag $ETAG"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Range: bytes=0-1023" "$BASE$AUDIO_PATH")" = 206 ] || die "no 206"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$BASE$AUDIO_PATH")" = 304 ] || die "no 304"

run_wrk() { # name url [header] -> "rps p99 non2xx3xx"
    local name="$1" url="$2" f="$OUT/wrk-audio-$1.txt"
    shift 2
    local args=()
    [ "$#" -gt 0 ] && args=(-H "$1")
    log "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency ${args[*]:-} $url"
    wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency "${args[@]}" "$url" >"$f" 2>&1 || true
    local rps p99 bad
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$f")"
    p99="$(awk '$1 == "99%" {print $2}' "$f")"
    bad="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f")"
    echo "${rps:-?} ${p99:-?} ${bad:-0}"
}

read -r H_RPS H_P99 H_BAD < <(run_wrk health "$BASE/api/v1/health")
read -r C_RPS C_P99 C_BAD < <(run_wrk cached "$BASE$AUDIO_PATH" "If-None-Match: $ETAG")
read -r W_RPS W_P99 W_BAD < <(run_wrk whole "$BASE$AUDIO_PATH")
read -r R_RPS R_P99 R_BAD < <(run_wrk range "$BASE$AUDIO_PATH" "Range: bytes=0-1023")

{
    echo
    echo "== Audio serving (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION, release lingo-api, $BYTES-byte Ogg/Opus) =="
    printf '%-46s %12s %10s %12s\n' "route" "req/s" "p99" "non-2xx/3xx"
    printf '%-46s %12s %10s %12s\n' "GET /api/v1/health (baseline)" "$H_RPS" "$H_P99" "$H_BAD"
    printf '%-46s %12s %10s %12s\n' "GET audio, If-None-Match (304, cached)" "$C_RPS" "$C_P99" "$C_BAD"
    printf '%-46s %12s %10s %12s\n' "GET audio, whole file (200)" "$W_RPS" "$W_P99" "$W_BAD"
    printf '%-46s %12s %10s %12s\n' "GET audio, Range bytes=0-1023 (206)" "$R_RPS" "$R_P99" "$R_BAD"
    awk -v a="$W_RPS" -v h="$H_RPS" 'BEGIN { if (h > 0) printf "whole-file audio reaches %.0f%% of /health throughput\n", 100 * a / h }'
} | tee "$OUT/audio.txt"
