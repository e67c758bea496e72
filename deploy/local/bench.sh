#!/usr/bin/env bash
# Benchmarks, each next to a baseline measured in the same run on the same machine.
# First, through HTTP (deploy/local/bench/http.sh; a release lingo-api driven by wrk, a separate
# process, on a private database seeded in SQL):
#   POST /reviews vs pgbench running the same transaction; a cached dictionary lookup vs
#   GET /health; the study queue (learner with 100,000 reviews today) and session (10 learners).
# Then, secondary lines (in-process clients, cargo benches):
#   (a) queue: redis-benchmark XADD on the configured Redis  vs  cargo bench -p lingo-worker --bench queue_throughput
#   (c) auth: login and refresh throughput (cargo bench -p lingo-api --bench auth_throughput)
#   (b) HTTP:  lingo-api GET /api/v1/health (release)         vs  lingo-bench-hello GET / (bare actix-web, release)
#   (e) dictionary: FreeDict import vs raw insert_many, cached lookups (cargo bench -p lingo-api --bench dictionary)
# Everything this script starts (apps, and private stores it had to start) is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
STACK="$ROOT/deploy/local/stack.sh"
DEV="$ROOT/.dev"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$DEV/bench"
command -v cargo >/dev/null 2>&1 || export PATH="${HOME:-/root}/.cargo/bin:$PATH"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] %s\n' "$*" >&2; exit 1; }

WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-64}"
WRK_DURATION="${WRK_DURATION:-10s}"
XADD_REQUESTS="${XADD_REQUESTS:-100000}"
STREAM_KEY="lingo-bench-stream"

# ---- tools and stores
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v redis-benchmark >/dev/null 2>&1 || need+=(redis-tools)
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
"$STACK" stores
after="$(store_records)"
STARTED_STORES="$(comm -13 <(echo "$before" | sort) <(echo "$after" | sort) | grep . || true)"
# shellcheck disable=SC1091
source "$DEV/env"

PIDS_TO_KILL=()
cleanup() {
    local pid rec
    for pid in "${PIDS_TO_KILL[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS_TO_KILL[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    for rec in $STARTED_STORES; do "$STACK" stop-store "$rec" || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # url seconds pid
    for _ in $(seq 1 $(($2 * 5))); do
        curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
        kill -0 "$3" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# shellcheck source=deploy/local/bench/http.sh
source "$ROOT/deploy/local/bench/http.sh"
# shellcheck source=deploy/local/bench/import.sh
source "$ROOT/deploy/local/bench/import.sh"
command -v pgbench >/dev/null 2>&1 || die "pgbench is missing (Debian: postgresql-contrib or postgresql-client)"

if [ "${BENCH_ONLY:-}" = "import" ]; then
    cargo build --release --bin lingo-api --bin lingo-worker
    import_bench
    { echo; echo "== Through the worker ($(nproc) cores, load ${IMPORT_LOAD:-?}) =="; cat "$OUT/import-row.txt"; } | tee "$OUT/summary.txt"
    exit 0
elif [ "${BENCH_ONLY:-}" = "http" ]; then
    log "cargo build --release --bin lingo-api --bin lingo-worker"
    cargo build --release --bin lingo-api --bin lingo-worker
else
    log "cargo build --release --bin lingo-api --bin lingo-worker --bin lingo-bench-hello"
    cargo build --release --bin lingo-api --bin lingo-worker --bin lingo-bench-hello
fi

# ---- the primary table: through HTTP
http_bench
if [ "${BENCH_ONLY:-}" = "http" ]; then
    { echo; echo "== Through HTTP (wrk, release lingo-api; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)) =="; cat "$OUT/http-rows.txt"; } \
        | tee "$OUT/summary.txt"
    exit 0
fi

# ---- (a) queue
REDIS_ARGS=(-u "$LINGO_REDIS_URL")
redis_db="${LINGO_REDIS_URL##*/}"; redis_db="${redis_db%%\?*}"
[[ "$redis_db" =~ ^[0-9]+$ ]] || redis_db=0

log "redis-benchmark XADD x$XADD_REQUESTS on $LINGO_REDIS_URL"
redis-cli "${REDIS_ARGS[@]}" DEL "$STREAM_KEY" >/dev/null
redis-benchmark "${REDIS_ARGS[@]}" --dbnum "$redis_db" -n "$XADD_REQUESTS" -q XADD "$STREAM_KEY" '*' f v \
    2>&1 | tr '\r' '\n' | grep -v '^$' | tail -n 1 | tee "$OUT/xadd.txt"
redis-cli "${REDIS_ARGS[@]}" DEL "$STREAM_KEY" >/dev/null
XADD_RPS="$(grep -oE '[0-9.]+ requests per second' "$OUT/xadd.txt" | awk '{print $1}' | head -n1)"
XADD_P50="$(grep -oE 'p50=[0-9.]+ msec' "$OUT/xadd.txt" | head -n1 | sed 's/p50=//')"

log "cargo bench -p lingo-worker --bench queue_throughput"
QUEUE_RC=0
cargo bench -p lingo-worker --bench queue_throughput 2>&1 | tee "$OUT/queue_throughput.txt" || QUEUE_RC=$?

# ---- (c) auth: login (Argon2id) and refresh (rotation in PostgreSQL) through the api
log "cargo bench -p lingo-api --bench auth_throughput"
AUTH_RC=0
cargo bench -p lingo-api --bench auth_throughput 2>&1 | tee "$OUT/auth_throughput.txt" || AUTH_RC=$?

# ---- (d) the review path next to pgbench, and the study queue
log "cargo bench -p lingo-api --bench review_path"
REVIEW_RC=0
cargo bench -p lingo-api --bench review_path 2>&1 | tee "$OUT/review_path.txt" || REVIEW_RC=$?

# ---- (e) the dictionary: import next to raw MongoDB insert_many, lookups (first pass and cached)
log "cargo bench -p lingo-api --bench dictionary"
DICT_RC=0
cargo bench -p lingo-api --bench dictionary 2>&1 | tee "$OUT/dictionary.txt" || DICT_RC=$?

# ---- (b) HTTP

run_wrk() { # name url -> "rps p99"
    local url="$2" f="$OUT/wrk-$1.txt"
    log "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency $url"
    wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency "$url" >"$f" 2>&1 || true
    cat "$f" >&2
    local rps p99 non2xx
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$f")"
    p99="$(awk '$1 == "99%" {print $2}' "$f")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f")"
    echo "${rps:-?} ${p99:-?} ${non2xx:-0}"
}

API_PORT="$(free_port)"
log "starting release lingo-api on 127.0.0.1:$API_PORT"
LINGO_HTTP_PORT="$API_PORT" LINGO_HTTP_HOST=127.0.0.1 LINGO_METRICS_ADDR=off "$TARGET_DIR/release/lingo-api" >"$OUT/lingo-api.log" 2>&1 &
API_PID=$!
PIDS_TO_KILL+=("$API_PID")
wait_http "http://127.0.0.1:$API_PORT/api/v1/health" 60 "$API_PID" ||
    { tail -n 30 "$OUT/lingo-api.log" >&2; die "lingo-api did not answer /api/v1/health"; }
read -r API_RPS API_P99 API_NON2XX < <(run_wrk api "http://127.0.0.1:$API_PORT/api/v1/health")
kill "$API_PID" 2>/dev/null || true

HELLO_PORT="$(free_port)"
log "starting release lingo-bench-hello on 127.0.0.1:$HELLO_PORT"
"$TARGET_DIR/release/lingo-bench-hello" --port "$HELLO_PORT" >"$OUT/lingo-bench-hello.log" 2>&1 &
HELLO_PID=$!
PIDS_TO_KILL+=("$HELLO_PID")
wait_http "http://127.0.0.1:$HELLO_PORT/" 30 "$HELLO_PID" ||
    { tail -n 30 "$OUT/lingo-bench-hello.log" >&2; die "lingo-bench-hello did not answer GET /"; }
read -r HELLO_RPS HELLO_P99 HELLO_NON2XX < <(run_wrk hello "http://127.0.0.1:$HELLO_PORT/")

# ---- (f) pronunciation audio: cached serving, 304 and Range, next to /health (issue 14)
log "deploy/local/bench_audio.sh"
AUDIO_RC=0
"$ROOT/deploy/local/bench_audio.sh" >"$OUT/audio.txt" 2>&1 || AUDIO_RC=$?

# ---- table
IMPORT_ROW="$(grep -E 'records/s|insert_many|VmHWM' "$OUT/dictionary.txt" | head -n 4 || true)"
QUEUE_SUMMARY="$(grep -iE 'msg|jobs|/s|thrpt|throughput' "$OUT/queue_throughput.txt" | grep -viE '^\s*(compiling|finished|running|warning)' | tail -n 6 || true)"
{
    echo
    echo "== Through HTTP (wrk, release lingo-api; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)) =="
    cat "$OUT/http-rows.txt"
    echo "dictionary import (FreeDict eng-ara, ImportService in-process) next to raw insert_many:"
    echo "${IMPORT_ROW:-    (see the Dictionary section)}" | sed 's/^/    /'
    echo
    echo "Secondary lines (in-process clients):"
    echo
    echo "== Queue (Redis $LINGO_REDIS_URL) =="
    printf '%-44s %s\n' "redis-benchmark XADD (baseline)" "${XADD_RPS:-?} req/s  (p50 ${XADD_P50:-?} ms)"
    printf '%-44s %s\n' "lingo-worker queue_throughput (cargo bench)" "$([ "$QUEUE_RC" -eq 0 ] && echo "see below" || echo "FAILED (exit $QUEUE_RC)")"
    [ -z "$QUEUE_SUMMARY" ] || echo "$QUEUE_SUMMARY" | sed 's/^/    /'
    echo "    full output: ${OUT#$ROOT/}/queue_throughput.txt"
    echo
    echo "== HTTP (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION, release builds) =="
    printf '%-40s %12s %10s %8s\n' "target" "req/s" "p99" "non-2xx"
    printf '%-40s %12s %10s %8s\n' "lingo-api GET /api/v1/health" "$API_RPS" "$API_P99" "$API_NON2XX"
    printf '%-40s %12s %10s %8s\n' "lingo-bench-hello GET / (baseline)" "$HELLO_RPS" "$HELLO_P99" "$HELLO_NON2XX"
    if [[ "$API_RPS" =~ ^[0-9.]+$ && "$HELLO_RPS" =~ ^[0-9.]+$ ]]; then
        awk -v a="$API_RPS" -v h="$HELLO_RPS" 'BEGIN { if (h > 0) printf "lingo-api reaches %.0f%% of the bare actix-web throughput\n", 100 * a / h }'
    fi
    echo
    echo "== Auth (in-process api, real stores) =="
    grep -E 'auth throughput|login|refresh' "$OUT/auth_throughput.txt" | grep -vE '^\s*(Compiling|Running|Finished)' || echo "FAILED (exit $AUTH_RC)"
    echo
    echo "== Review path (in-process api, real stores) =="
    grep -E 'review path|reviews/s|study/queue|pgbench' "$OUT/review_path.txt" || echo "FAILED (exit $REVIEW_RC)"
    echo
    echo "== Dictionary (import vs insert_many, lookups; in-process api, real stores) =="
    grep -E '^dictionary|ImportService|records/s|VmHWM|reader alone|insert_many|raw server insert rate|first pass|cached \(' "$OUT/dictionary.txt" || echo "FAILED (exit $DICT_RC)"
    echo
    echo "== Pronunciation audio (release api, wrk) =="
    grep -E 'audio|health|req/s|p99' "$OUT/audio.txt" | grep -vE '^\s*(Compiling|Running|Finished)' || echo "FAILED (exit $AUDIO_RC)"
} | tee "$OUT/summary.txt"

[ "$QUEUE_RC" -eq 0 ] || exit "$QUEUE_RC"
