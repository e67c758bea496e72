# The through-HTTP half of `just bench` (sourced by deploy/local/bench.sh, which provides log, die,
# free_port, wait_http, PIDS_TO_KILL, OUT, TARGET_DIR and the LINGO_* store variables).
# A release lingo-api on a private PostgreSQL database, MongoDB database and Redis prefix, seeded
# in SQL; wrk (a separate process) drives it; each figure gets a baseline from the same run.
# Writes "$OUT/http-rows.txt" (the table) and exports HTTP_* figures.

BENCH_DIR="$ROOT/deploy/local/bench"
HTTP_CONNECTIONS="${HTTP_CONNECTIONS:-50}"
SESSION_CONNECTIONS="${SESSION_CONNECTIONS:-10}"
HTTP_DURATION="${HTTP_DURATION:-10s}"
BENCH_CARDS_N="${BENCH_CARDS_N:-21000}"
BENCH_TODAY_N="${BENCH_TODAY_N:-100000}"
BENCH_SESSION_CARDS_N="${BENCH_SESSION_CARDS_N:-20000}"
BENCH_SESSION_LEARNERS="${BENCH_SESSION_LEARNERS:-10}"
BENCH_SECRET="bench-only-secret-0123456789-0123456789"
PY="$ROOT/.dev/venv/bin/python"
[ -x "$PY" ] || "$ROOT/deploy/local/stack.sh" venv >&2
RUN_ID="$$-$(date +%s)"
BENCH_DB="lingo_bench_${RUN_ID//-/_}"
BENCH_MONGO_DB="lingo_bench_${RUN_ID//-/_}"
PG_ADMIN_URL="$LINGO_DATABASE_URL"
BENCH_PG_URL="${LINGO_DATABASE_URL%/*}/$BENCH_DB"

http_cleanup() {
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null 2>&1 || true
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS ${BENCH_DB}_import WITH (FORCE)" >/dev/null 2>&1 || true
    "$PY" "$BENCH_DIR/http_fixture.py" drop "$LINGO_MONGO_URL" "$BENCH_MONGO_DB" >/dev/null 2>&1 || true
    # Both prefixes: the HTTP part's "bench-$RUN_ID:" and the import's "bench-$RUN_ID-import:".
    redis-cli -u "$LINGO_REDIS_URL" --scan --pattern "bench-$RUN_ID*" 2>/dev/null |
        xargs -r redis-cli -u "$LINGO_REDIS_URL" DEL >/dev/null 2>&1 || true
}

# wrk's figures: "rps p50_ms p99_ms non2xx errors"
wrk_figures() { # file
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /Non-2xx or 3xx responses:/ { non = $NF }
        /Socket errors:/ { err = $0 }
        END { printf "%s %.2f %.2f %d %s\n", rps, p50, p99, non, (err == "" ? "0" : "some") }' "$1"
}

run_wrk_http() { # name connections script|- path [env...]
    local name="$1" c="$2" script="$3" path="$4" f="$OUT/wrk-$1.txt"
    shift 4
    local threads=2
    [ "$c" -ge 2 ] || threads=1
    log "wrk -t$threads -c$c -d$HTTP_DURATION --latency $path ($name)"
    if [ "$script" = "-" ]; then
        env "$@" wrk -t"$threads" -c"$c" -d"$HTTP_DURATION" --latency "http://127.0.0.1:$HTTP_PORT$path" >"$f" 2>&1 || true
    else
        env "$@" wrk -t"$threads" -c"$c" -d"$HTTP_DURATION" --latency -s "$BENCH_DIR/$script" "http://127.0.0.1:$HTTP_PORT$path" >"$f" 2>&1 || true
    fi
    cat "$f" >&2
    wrk_figures "$f"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.0f %%", 100 * a / b; else print "?" }'; }

http_bench() {
    trap 'http_cleanup; cleanup' EXIT
    log "bench database $BENCH_DB, MongoDB database $BENCH_MONGO_DB, Redis prefix bench-$RUN_ID:"
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $BENCH_DB" >/dev/null

    HTTP_PORT="$(free_port)"
    local api_env=(LINGO_HTTP_PORT="$HTTP_PORT" LINGO_HTTP_HOST=127.0.0.1 LINGO_METRICS_ADDR=off
        LINGO_DATABASE_URL="$BENCH_PG_URL" LINGO_MONGO_DATABASE="$BENCH_MONGO_DB"
        LINGO_REDIS_PREFIX="bench-$RUN_ID:" LINGO_JWT_SECRET="$BENCH_SECRET" LINGO_LOG=warn
        LINGO_RATE_LIMIT_LOOKUP_PER_MINUTE=100000000 LINGO_RATE_LIMIT_ANONYMOUS_PER_MINUTE=100000000
        LINGO_WIKTIONARY_URL=http://127.0.0.1:9/)
    log "starting release lingo-api on 127.0.0.1:$HTTP_PORT (migrates the bench database)"
    env "${api_env[@]}" "$TARGET_DIR/release/lingo-api" >"$OUT/lingo-api-http.log" 2>&1 &
    local api_pid=$!
    PIDS_TO_KILL+=("$api_pid")
    wait_http "http://127.0.0.1:$HTTP_PORT/api/v1/health" 120 "$api_pid" ||
        { tail -n 30 "$OUT/lingo-api-http.log" >&2; die "lingo-api did not answer /api/v1/health"; }

    # ---- seed (SQL), the dictionary entry (MongoDB), tokens
    local reviewer hour profile
    reviewer="$(python3 -c 'import uuid; print(uuid.uuid4())')"
    # The learner's day started an hour after this hour yesterday: "today" holds the whole run.
    hour=$(( ($(date -u +%-H) + 1) % 24 ))
    profile="{\"native_language\":\"fa\",\"target_language\":\"en\",\"level\":\"A2\",\"timezone\":\"UTC\",\"day_rollover_hour\":$hour,\"daily_new_limit\":20,\"daily_review_limit\":200000,\"desired_retention\":0.9,\"learning_steps\":[60,600],\"relearning_steps\":[600],\"leech_threshold\":8,\"suspend_leeches\":true}"
    log "seeding: $BENCH_CARDS_N cards and $BENCH_TODAY_N reviews today (learner A), $BENCH_SESSION_LEARNERS learners x $BENCH_SESSION_CARDS_N cards"
    local t0=$SECONDS
    psql "$BENCH_PG_URL" -q -v reviewer="$reviewer" -v profile="$profile" -v cards="$BENCH_CARDS_N" \
        -v today="$BENCH_TODAY_N" -v session_learners="$BENCH_SESSION_LEARNERS" \
        -v session_cards="$BENCH_SESSION_CARDS_N" -f "$BENCH_DIR/seed.sql" >/dev/null
    log "seeded in $((SECONDS - t0)) s"
    psql "$BENCH_PG_URL" -Atc "SELECT id FROM bench_card_ids ORDER BY n" >"$OUT/bench-card-ids.txt"
    "$PY" "$BENCH_DIR/http_fixture.py" entry "$LINGO_MONGO_URL" "$BENCH_MONGO_DB"
    local token tokens="" id
    token="$("$PY" "$BENCH_DIR/http_fixture.py" token "$BENCH_SECRET" lingo lingo-app "$reviewer")"
    for id in $(psql "$BENCH_PG_URL" -Atc "SELECT id FROM users WHERE email LIKE 'bench-session-%'"); do
        tokens="$tokens $("$PY" "$BENCH_DIR/http_fixture.py" token "$BENCH_SECRET" lingo lingo-app "$id")"
    done
    local word_url="/api/v1/dictionary/en/words/house"
    curl -fsS -o "$OUT/house.json" "http://127.0.0.1:$HTTP_PORT$word_url" ||
        { tail -n 30 "$OUT/lingo-api-http.log" >&2; die "GET $word_url failed"; }
    curl -fsS -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$HTTP_PORT/api/v1/study/queue?limit=20" ||
        die "GET /study/queue failed (see $OUT/lingo-api-http.log)"
    local word_bytes
    word_bytes="$(wc -c <"$OUT/house.json")"

    # ---- through HTTP, each next to its baseline
    read -r H_RPS H_P50 H_P99 H_NON H_ERR < <(run_wrk_http health "$HTTP_CONNECTIONS" - /api/v1/health)
    read -r W_RPS W_P50 W_P99 W_NON W_ERR < <(run_wrk_http word "$HTTP_CONNECTIONS" - "$word_url")
    read -r WG_RPS WG_P50 WG_P99 WG_NON WG_ERR < <(run_wrk_http word-gzip "$HTTP_CONNECTIONS" signed_get.lua "$word_url" \
        BENCH_PATH="$word_url" BENCH_ACCEPT_ENCODING=gzip)
    read -r Q_RPS Q_P50 Q_P99 Q_NON Q_ERR < <(run_wrk_http queue "$SESSION_CONNECTIONS" signed_get.lua /api/v1/study/queue \
        BENCH_PATH="/api/v1/study/queue?limit=20" BENCH_TOKENS="$token")
    read -r S_RPS S_P50 S_P99 S_NON S_ERR < <(run_wrk_http session "$SESSION_CONNECTIONS" signed_get.lua /api/v1/study/session \
        BENCH_PATH="/api/v1/study/session?limit=20" BENCH_TOKENS="$tokens")
    read -r R_RPS R_P50 R_P99 R_NON R_ERR < <(run_wrk_http reviews "$HTTP_CONNECTIONS" reviews.lua /api/v1/reviews \
        BENCH_TOKEN="$token" BENCH_CARDS="$OUT/bench-card-ids.txt" BENCH_RUN="$RUN_ID")
    local today_now
    today_now="$(psql "$BENCH_PG_URL" -Atc "SELECT count(*) FROM review_logs WHERE user_id = '$reviewer'")"

    # pgbench: the same transaction, with a snapshot the api wrote
    local before
    before="$(psql "$BENCH_PG_URL" -Atc "SELECT before FROM review_logs WHERE client_review_id LIKE 'wrk-%' LIMIT 1")"
    [ -n "$before" ] || before='{}'
    log "pgbench -M prepared -c $HTTP_CONNECTIONS -j 2 -T ${HTTP_DURATION%s} (the review transaction)"
    PG_TPS="?" PG_LAT="?"
    if pgbench -n -M prepared -c "$HTTP_CONNECTIONS" -j 2 -T "${HTTP_DURATION%s}" -r -D cards="$BENCH_CARDS_N" \
        -D before="$before" -f "$BENCH_DIR/review.pgbench" "$BENCH_PG_URL" >"$OUT/pgbench-review.txt" 2>&1; then
        PG_TPS="$(awk '/^tps = / {print $3; exit}' "$OUT/pgbench-review.txt")"
        PG_LAT="$(awk '/^latency average/ {print $4; exit}' "$OUT/pgbench-review.txt")"
    fi
    cat "$OUT/pgbench-review.txt" >&2

    local api_rss
    api_rss="$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$api_pid/status" 2>/dev/null || echo "?")"
    kill "$api_pid" 2>/dev/null || true
    import_bench

    {
        printf '%-46s %-28s %-42s %s\n' "path (through HTTP, wrk)" "Lingo" "baseline in the same run" "Lingo/baseline"
        printf '%-46s %-28s %-42s %s\n' "POST /api/v1/reviews (c=$HTTP_CONNECTIONS)" "$R_RPS/s p99 $R_P99 ms" "pgbench same tx ${PG_TPS%.*} tps, mean ${PG_LAT:-?} ms" "$(ratio "$R_RPS" "$PG_TPS")"
        printf '%-46s %-28s %-42s %s\n' "GET $word_url (${word_bytes} B)" "$W_RPS/s p99 $W_P99 ms" "GET /api/v1/health $H_RPS/s p99 $H_P99 ms" "$(ratio "$W_RPS" "$H_RPS")"
        printf '%-46s %-28s %-42s %s\n' "  same, Accept-Encoding: gzip" "$WG_RPS/s p99 $WG_P99 ms" "GET /api/v1/health" "$(ratio "$WG_RPS" "$H_RPS")"
        printf '%-46s %-28s %-42s %s\n' "GET /study/queue?limit=20 (c=$SESSION_CONNECTIONS)" "$Q_RPS/s p99 $Q_P99 ms" "learner with $BENCH_TODAY_N reviews today" "p99 < 15 ms: $(awk -v p="$Q_P99" 'BEGIN{print (p < 15 ? "yes" : "NO")}')"
        printf '%-46s %-28s %-42s %s\n' "GET /study/session?limit=20 (c=$SESSION_CONNECTIONS)" "$S_RPS/s p99 $S_P99 ms" "$BENCH_SESSION_LEARNERS learners x $BENCH_SESSION_CARDS_N cards" "p99 < 15 ms: $(awk -v p="$S_P99" 'BEGIN{print (p < 15 ? "yes" : "NO")}')"
        cat "$OUT/import-row.txt"
        printf '%-46s %s\n' "non-2xx (reviews, word, queue, session)" "$R_NON, $W_NON, $Q_NON, $S_NON"
        printf '%-46s %s\n' "learner A's review logs after the run" "$today_now"
        printf '%-46s %s\n' "lingo-api peak RSS" "$api_rss"
    } >"$OUT/http-rows.txt"
}
