# The dictionary import through the worker (sourced by deploy/local/bench.sh after http.sh, whose
# bench databases, BENCH_SECRET, PY, RUN_ID and http_cleanup it uses; `import_bench` runs after
# the wrk figures, or alone with BENCH_ONLY=import).
# A release lingo-api (the admin route) and a release lingo-worker on a PostgreSQL database and a
# Redis prefix of their own (the jobs the HTTP part queued, audio renders among them, are not the
# import's to run: a shared ledger would hand them to its worker) and the bench's MongoDB
# database import FreeDict eng-ara; the figure is
# entries per second from the job's creation to its success, next to raw `insert_many` of the same
# entry documents into the same MongoDB-wire server, measured right after in the same run.
# Writes "$OUT/import-row.txt" (one row) and exports IMPORT_* figures.

IMPORT_INDEX="${IMPORT_INDEX:-/usr/share/dictd/freedict-eng-ara.index}"
IMPORT_SOURCE="freedict-eng-ara"
IMPORT_TIMEOUT_S="${IMPORT_TIMEOUT_S:-1200}"

# VmHWM of a process, e.g. "61.2 MiB"
import_peak_rss() { # pid
    awk '/^VmHWM:/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"
}

import_bench() {
    IMPORT_ROW_FILE="$OUT/import-row.txt"
    IMPORT_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "dictionary import (FreeDict eng-ara)  FAILED (see $OUT/lingo-worker-import.log)" >"$IMPORT_ROW_FILE"
    [ -f "$IMPORT_INDEX" ] || "$ROOT/deploy/local/data.sh" install >&2 ||
        { log "no $IMPORT_INDEX (deploy/local/data.sh install failed)"; return 0; }
    trap 'http_cleanup; cleanup' EXIT
    local import_db="${BENCH_DB}_import"
    local import_pg_url="${BENCH_PG_URL}_import"
    log "import database $import_db, MongoDB database $BENCH_MONGO_DB, Redis prefix bench-$RUN_ID-import:"
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $import_db" >/dev/null
    local port env_common
    port="$(free_port)"
    env_common=(LINGO_DATABASE_URL="$import_pg_url" LINGO_MONGO_DATABASE="$BENCH_MONGO_DB"
        LINGO_REDIS_PREFIX="bench-$RUN_ID-import:" LINGO_JWT_SECRET="$BENCH_SECRET" LINGO_LOG=warn
        LINGO_METRICS_ADDR=off LINGO_WIKTIONARY_URL=http://127.0.0.1:9/)
    log "import: starting release lingo-api on 127.0.0.1:$port (the admin route)"
    env "${env_common[@]}" LINGO_HTTP_PORT="$port" LINGO_HTTP_HOST=127.0.0.1 \
        "$TARGET_DIR/release/lingo-api" >"$OUT/lingo-api-import.log" 2>&1 &
    local api_pid=$!
    PIDS_TO_KILL+=("$api_pid")
    wait_http "http://127.0.0.1:$port/api/v1/health" 120 "$api_pid" ||
        { tail -n 30 "$OUT/lingo-api-import.log" >&2; die "lingo-api did not answer /api/v1/health"; }
    env "${env_common[@]}" LINGO_LOG=info "$TARGET_DIR/release/lingo-worker" --name "bench-import-$RUN_ID" \
        >"$OUT/lingo-worker-import.log" 2>&1 &
    local worker_pid=$!
    PIDS_TO_KILL+=("$worker_pid")

    local admin token base="http://127.0.0.1:$port/api/v1"
    admin="$(python3 -c 'import uuid; print(uuid.uuid4())')"
    psql "$import_pg_url" -qc "INSERT INTO users (id, email, display_name, role, profile, created_at, updated_at)
        VALUES ('$admin', 'bench-admin-$RUN_ID@example.com', 'Bench admin', 'admin',
        '{\"native_language\":\"fa\",\"target_language\":\"en\",\"level\":\"A2\",\"timezone\":\"UTC\",\"day_rollover_hour\":4,\"daily_new_limit\":20,\"daily_review_limit\":200,\"desired_retention\":0.9,\"learning_steps\":[60,600],\"relearning_steps\":[600],\"leech_threshold\":8,\"suspend_leeches\":true}',
        now(), now())" >/dev/null
    token="$(cd "$BENCH_DIR" && "$PY" import_fixture.py token "$BENCH_SECRET" lingo lingo-app "$admin")"

    log "import: POST $base/admin/dictionary/imports ($IMPORT_INDEX); load $(cut -d' ' -f1-3 /proc/loadavg)"
    local accepted job status="" view=""
    accepted="$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d "{\"format\":\"dictd\",\"path\":\"$IMPORT_INDEX\",\"source\":\"$IMPORT_SOURCE\",\"licence\":\"GPL-2.0-or-later\",\"language\":\"en\",\"translation_language\":\"ar\"}" \
        "$base/admin/dictionary/imports")" || { tail -n 30 "$OUT/lingo-api-import.log" >&2; die "the import was not accepted"; }
    job="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["job_id"])' <<<"$accepted")"
    local deadline=$((SECONDS + IMPORT_TIMEOUT_S))
    while [ "$SECONDS" -lt "$deadline" ]; do
        view="$(curl -fsS -H "Authorization: Bearer $token" "$base/jobs/$job" || true)"
        status="$(python3 -c 'import json, sys; print(json.load(sys.stdin).get("status", ""))' <<<"$view" 2>/dev/null || true)"
        case "$status" in succeeded | failed | dead) break ;; esac
        kill -0 "$worker_pid" 2>/dev/null || { status="worker exited"; break; }
        kill -0 "$api_pid" 2>/dev/null || { status="api exited"; break; }
        sleep 0.5
    done
    IMPORT_WORKER_RSS="$(import_peak_rss "$worker_pid")"
    IMPORT_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
    kill "$worker_pid" "$api_pid" 2>/dev/null || true
    printf '%s\n' "$view" >"$OUT/import-job.json"
    if [ "$status" != succeeded ]; then
        log "import job $job: ${status:-no answer} (see $OUT/import-job.json, $OUT/lingo-worker-import.log)"
        tail -n 20 "$OUT/lingo-worker-import.log" >&2
        return 0
    fi
    # The job's own times (ledger): from its creation (POST) to its success, queueing included.
    local read="?" entries="?" seconds="?"
    read -r read entries seconds < <(python3 -c '
import datetime, json, re, sys
job = json.load(open(sys.argv[1]))
at = lambda v: datetime.datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", v).replace("Z", "+00:00"))
c = job["result"]["counters"]
print(c["read"], c["entries"], (at(job["updated_at"]) - at(job["created_at"])).total_seconds())
' "$OUT/import-job.json") || true
    IMPORT_RATE="$(awk -v n="$entries" -v s="$seconds" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "?" }')"
    log "import: $read records read, $entries entries in $seconds s ($IMPORT_RATE entries/s), worker peak RSS $IMPORT_WORKER_RSS, load $IMPORT_LOAD"

    log "import: baseline insert_many of the same $entries entry documents (load $(cut -d' ' -f1-3 /proc/loadavg))"
    local docs="?" insert_s="?"
    IMPORT_BASELINE="?"
    read -r docs insert_s IMPORT_BASELINE < <(cd "$BENCH_DIR" && "$PY" import_fixture.py baseline "$LINGO_MONGO_URL" "$BENCH_MONGO_DB" "$IMPORT_SOURCE") || true
    log "import: baseline $docs docs in $insert_s s ($IMPORT_BASELINE docs/s)"
    printf '%-46s %-28s %-42s %s\n' "dictionary import (FreeDict eng-ara)" \
        "$IMPORT_RATE entries/s, worker peak RSS $IMPORT_WORKER_RSS" "| raw insert_many $IMPORT_BASELINE docs/s" \
        "| $(ratio "$IMPORT_RATE" "$IMPORT_BASELINE")" >"$IMPORT_ROW_FILE"
}
