#!/usr/bin/env bash
# Local development stack for Lingo: PostgreSQL, MongoDB (SecantusDB), Redis and the apps.
#
#   deploy/local/stack.sh stores   ensure the three stores answer (reuse or start private ones)
#   deploy/local/stack.sh up       stores + data + build + migrate + start api/worker/scheduler + seed
#   deploy/local/stack.sh down     stop the apps and the private stores this script started
#   deploy/local/stack.sh status   show stores and apps
#   deploy/local/stack.sh logs     follow the app logs
#   deploy/local/stack.sh migrate  stores + build lingo-admin + apply migrations
#   deploy/local/stack.sh venv     ensure .dev/venv (rust-just, secantusdb, aiosmtpd, genanki, anki)
#   deploy/local/stack.sh data     install the dictionary data (deploy/local/data.sh install)
#
# `up` also installs the dictionary data and seeds it once the worker runs (docs/data.md);
# LINGO_SKIP_DATA=1 skips both. `stores`, `migrate` and the tests never touch that data.
#
# Configuration comes from LINGO_* environment variables (defaults below); the effective values are
# written to .dev/env. A store that does not answer at its configured URL is started privately under
# .dev/ (only for a local host), and recorded in .dev/pids so that `down` stops only those.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# LINGO_DEV_DIR gives a run its own pids, logs, private stores and env file (`just chaos` uses it);
# the Python venv stays shared.
DEV="${LINGO_DEV_DIR:-$ROOT/.dev}"
LOGS="$DEV/logs"
PIDS="$DEV/pids"
VENV="$ROOT/.dev/venv"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
APPS=(lingo-api lingo-worker lingo-scheduler)

: "${LINGO_DATABASE_URL:=postgres://postgres@127.0.0.1:5432/lingo}"
: "${LINGO_MONGO_URL:=mongodb://127.0.0.1:27017}"
: "${LINGO_MONGO_DATABASE:=lingo}"
: "${LINGO_REDIS_URL:=redis://127.0.0.1:6379/0}"
: "${LINGO_HTTP_PORT:=8080}"
: "${LINGO_ENV:=development}"
export LINGO_DATABASE_URL LINGO_MONGO_URL LINGO_MONGO_DATABASE LINGO_REDIS_URL LINGO_HTTP_PORT LINGO_ENV

DATA_SH="$ROOT/deploy/local/data.sh"

# log/warn/die, as_root, apt_install, ensure_cargo_path, venv_create, venv_pip_install
LOG_TAG=stack
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"

mkdirs() { mkdir -p "$LOGS" "$PIDS"; }

# --------------------------------------------------------------------------------------------
# packages

pg_bindir() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
    [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

ensure_packages() {
    local want=()
    command -v python3 >/dev/null 2>&1 || want+=(python3)
    command -v curl >/dev/null 2>&1 || want+=(curl ca-certificates)
    { command -v psql && command -v pg_isready; } >/dev/null 2>&1 || want+=(postgresql-client)
    [ -n "$(pg_bindir || true)" ] || want+=(postgresql postgresql-contrib)
    command -v redis-server >/dev/null 2>&1 || want+=(redis-server)
    command -v redis-cli >/dev/null 2>&1 || want+=(redis-tools)
    # pronunciation audio (adapters/speech): the offline speech engine and the Opus encoder
    command -v espeak-ng >/dev/null 2>&1 || want+=(espeak-ng)
    command -v opusenc >/dev/null 2>&1 || want+=(opus-tools)
    [ "${#want[@]}" -eq 0 ] || apt_install "${want[@]}"
}

# .dev/venv with rust-just (the `just` binary), secantusdb (a MongoDB-wire-compatible server),
# aiosmtpd (the SMTP server the email adapter's tests deliver to), and genanki and anki (the
# writers of the Anki packages the learner-import tests read).
ensure_venv() {
    mkdirs
    venv_create "$VENV"
    local need=()
    [ -x "$VENV/bin/just" ] || need+=(rust-just)
    [ -x "$VENV/bin/secantusd-py" ] || need+=(secantusdb)
    "$VENV/bin/python" -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(aiosmtpd)
    "$VENV/bin/python" -c 'import genanki' >/dev/null 2>&1 || need+=(genanki)
    "$VENV/bin/python" -c 'import anki.collection' >/dev/null 2>&1 || need+=(anki)
    [ "${#need[@]}" -eq 0 ] || venv_pip_install "$VENV" "${need[@]}"
}

# --------------------------------------------------------------------------------------------
# URL parsing: sets URL_SCHEME URL_USERINFO URL_HOST URL_PORT URL_PATH URL_QUERY

parse_url() {
    local url="$1" default_port="$2" rest hostport
    URL_SCHEME="${url%%://*}"
    rest="${url#*://}"
    URL_QUERY=""
    if [[ "$rest" == *\?* ]]; then URL_QUERY="?${rest#*\?}"; rest="${rest%%\?*}"; fi
    URL_PATH=""
    if [[ "$rest" == */* ]]; then URL_PATH="/${rest#*/}"; rest="${rest%%/*}"; fi
    URL_USERINFO=""
    if [[ "$rest" == *@* ]]; then URL_USERINFO="${rest%@*}"; rest="${rest##*@}"; fi
    hostport="${rest%%,*}" # mongodb://h1,h2/ -> first host
    if [[ "$hostport" == \[*\]* ]]; then
        URL_HOST="${hostport%%]*}"; URL_HOST="${URL_HOST#[}"
        hostport="${hostport#*]}"
        URL_PORT="${hostport#:}"
    elif [[ "$hostport" == *:* ]]; then
        URL_HOST="${hostport%%:*}"; URL_PORT="${hostport##*:}"
    else
        URL_HOST="$hostport"; URL_PORT=""
    fi
    [ -n "$URL_HOST" ] || URL_HOST=127.0.0.1
    [ -n "$URL_PORT" ] || URL_PORT="$default_port"
}

is_local_host() {
    case "$1" in 127.*|localhost|::1|0.0.0.0) return 0 ;; *) return 1 ;; esac
}

tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" >/dev/null 2>&1; }

origin_of() { if [ -f "$PIDS/$1-$2.private" ]; then echo "private, started earlier by stack.sh"; else echo "reused"; fi; }

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
read_pid() { [ -f "$1" ] && tr -dc '0-9' <"$1" || true; }

# --------------------------------------------------------------------------------------------
# PostgreSQL

pg_admin_url() {
    parse_url "$LINGO_DATABASE_URL" 5432
    local auth=""
    [ -z "$URL_USERINFO" ] || auth="$URL_USERINFO@"
    local host="$URL_HOST"
    [[ "$host" != *:* ]] || host="[$host]"
    echo "${URL_SCHEME}://${auth}${host}:${URL_PORT}/postgres${URL_QUERY}"
}

pg_dbname() {
    parse_url "$LINGO_DATABASE_URL" 5432
    local db="${URL_PATH#/}"
    echo "${db:-postgres}"
}

pg_reachable() {
    parse_url "$LINGO_DATABASE_URL" 5432
    pg_isready -q -h "$URL_HOST" -p "$URL_PORT" -t 2 >/dev/null 2>&1
}

# Data directory of the private cluster for a port. As root the cluster runs as the `postgres` OS user,
# which must reach it: if the checkout sits below a directory it cannot enter (e.g. /root), the cluster
# lives under /var/tmp instead (recorded in .dev/pids, so `down` still finds it).
pg_private_base() {
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$DEV" 2>/dev/null; then
        echo "/var/tmp/lingo-dev-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)/pg"
    else
        echo "$DEV/pg"
    fi
}

# runs a command as the OS user that owns the private cluster (initdb refuses root)
as_pg_user() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_private_pg() {
    local port="$1" bindir base dir logf
    bindir="$(pg_bindir)" || die "PostgreSQL server binaries not found"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "OS user 'postgres' missing (install the postgresql package)"
    fi
    base="$(pg_private_base)"
    dir="$base/$port"
    logf="$base/postgres-$port.log"
    mkdir -p "$dir"
    touch "$logf"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$base" "$dir" "$logf"
        runuser -u postgres -- test -w "$dir" || die "user postgres cannot write $dir"
    fi
    chmod 700 "$dir"
    ln -sf "$logf" "$LOGS/postgres-$port.log" 2>/dev/null || true
    if [ ! -f "$dir/PG_VERSION" ]; then
        log "initdb private PostgreSQL cluster in $dir"
        as_pg_user "$bindir/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --no-locale >>"$logf" 2>&1 ||
            { tail -n 20 "$logf" >&2; die "initdb failed"; }
    fi
    log "starting private PostgreSQL on 127.0.0.1:$port"
    as_pg_user "$bindir/pg_ctl" -D "$dir" -l "$logf" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=''" start >/dev/null ||
        { tail -n 20 "$logf" >&2; die "private PostgreSQL failed to start (log: $logf)"; }
    echo "$dir" >"$PIDS/postgres-$port.private"
}

stop_private_pg() {
    local rec="$1" dir bindir
    dir="$(cat "$rec")"
    bindir="$(pg_bindir || true)"
    if [ -n "$bindir" ] && [ -f "$dir/postmaster.pid" ]; then
        log "stopping private PostgreSQL ($(basename "$rec" .private))"
        as_pg_user "$bindir/pg_ctl" -D "$dir" -m fast -w -t 30 stop >/dev/null 2>&1 || warn "pg_ctl stop failed for $dir"
    fi
    rm -f "$rec"
}

ensure_pg() {
    parse_url "$LINGO_DATABASE_URL" 5432
    local host="$URL_HOST" port="$URL_PORT"
    if pg_reachable; then
        log "PostgreSQL: $host:$port answers ($(origin_of postgres "$port"))"
    else
        is_local_host "$host" || die "PostgreSQL at $host:$port is not reachable (and not local, so no private one is started)"
        start_private_pg "$port"
        pg_reachable || die "private PostgreSQL did not come up on port $port"
    fi
    local admin db exists
    admin="$(pg_admin_url)"
    db="$(pg_dbname)"
    exists="$(psql "$admin" -X -tAq -v ON_ERROR_STOP=1 -c "SELECT 1 FROM pg_database WHERE datname = '${db//\'/\'\'}'" 2>&1)" ||
        die "cannot connect to PostgreSQL as configured ($exists)"
    if [ "$exists" != "1" ]; then
        log "creating database $db"
        psql "$admin" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"${db//\"/\"\"}\"" >/dev/null
    fi
}

# --------------------------------------------------------------------------------------------
# Redis

redis_reachable() {
    [ "$(timeout 3 redis-cli -u "$LINGO_REDIS_URL" ping 2>/dev/null || true)" = "PONG" ]
}

start_private_redis() {
    local port="$1"
    local dir="$DEV/redis/$port"
    mkdir -p "$dir"
    log "starting private Redis on 127.0.0.1:$port"
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$dir" \
        --pidfile "$PIDS/redis-$port.pid" --logfile "$LOGS/redis-$port.log" \
        --appendonly yes --appendfsync everysec --maxmemory-policy noeviction >/dev/null
    for _ in $(seq 1 50); do
        redis_reachable && break
        sleep 0.2
    done
    echo "$dir" >"$PIDS/redis-$port.private"
}

stop_private_redis() {
    local rec="$1" port pid
    port="$(basename "$rec" .private)"; port="${port#redis-}"
    pid="$(read_pid "$PIDS/redis-$port.pid")"
    log "stopping private Redis (port $port)"
    if pid_alive "$pid"; then
        kill "$pid" 2>/dev/null || true
        wait_gone "$pid" 10
    fi
    rm -f "$rec" "$PIDS/redis-$port.pid"
}

ensure_redis() {
    parse_url "$LINGO_REDIS_URL" 6379
    local host="$URL_HOST" port="$URL_PORT"
    if redis_reachable; then
        log "Redis: $host:$port answers ($(origin_of redis "$port"))"
        return
    fi
    is_local_host "$host" || die "Redis at $host:$port is not reachable (and not local, so no private one is started)"
    tcp_open "$host" "$port" && die "port $port is in use but Redis does not answer PING at $LINGO_REDIS_URL"
    start_private_redis "$port"
    redis_reachable || die "private Redis did not come up on port $port (log: .dev/logs/redis-$port.log)"
}

# --------------------------------------------------------------------------------------------
# MongoDB (SecantusDB)

mongo_reachable() {
    parse_url "$LINGO_MONGO_URL" 27017
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import pymongo' >/dev/null 2>&1; then
        "$VENV/bin/python" - "$LINGO_MONGO_URL" >/dev/null 2>&1 <<'PY'
import sys, pymongo
c = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=2000, connectTimeoutMS=2000)
c.admin.command("ping")
PY
    else
        tcp_open "$URL_HOST" "$URL_PORT"
    fi
}

start_private_mongo() {
    local port="$1"
    local dir="$DEV/mongo/$port" logf="$LOGS/mongo-$port.log"
    ensure_venv
    mkdir -p "$dir"
    log "starting private SecantusDB (MongoDB wire) on 127.0.0.1:$port"
    setsid nohup "$VENV/bin/secantusd-py" --host 127.0.0.1 --port "$port" --storage-path "$dir" \
        >>"$logf" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$PIDS/mongo-$port.pid"
    echo "$dir" >"$PIDS/mongo-$port.private"
    for _ in $(seq 1 60); do
        mongo_reachable && return 0
        pid_alive "$pid" || { tail -n 20 "$logf" >&2; die "SecantusDB exited during start-up"; }
        sleep 0.5
    done
    tail -n 20 "$logf" >&2
    die "SecantusDB did not answer on port $port within 30s"
}

stop_private_mongo() {
    local rec="$1" port pid
    port="$(basename "$rec" .private)"; port="${port#mongo-}"
    pid="$(read_pid "$PIDS/mongo-$port.pid")"
    log "stopping private SecantusDB (port $port)"
    if pid_alive "$pid"; then
        kill "$pid" 2>/dev/null || true
        wait_gone "$pid" 15
    fi
    rm -f "$rec" "$PIDS/mongo-$port.pid"
}

ensure_mongo() {
    parse_url "$LINGO_MONGO_URL" 27017
    local host="$URL_HOST" port="$URL_PORT"
    if mongo_reachable; then
        log "MongoDB: $host:$port answers ($(origin_of mongo "$port"))"
        return
    fi
    is_local_host "$host" || die "MongoDB at $host:$port is not reachable (and not local, so no private one is started)"
    tcp_open "$host" "$port" && die "port $port is in use but MongoDB does not answer at $LINGO_MONGO_URL"
    start_private_mongo "$port"
}

# --------------------------------------------------------------------------------------------

write_env() {
    local f="$DEV/env" tmp="$DEV/env.tmp" v
    {
        echo "# written by deploy/local/stack.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ); source it"
        for v in LINGO_DATABASE_URL LINGO_MONGO_URL LINGO_MONGO_DATABASE LINGO_REDIS_URL LINGO_HTTP_PORT LINGO_ENV; do
            printf 'export %s=%q\n' "$v" "${!v}"
        done
    } >"$tmp"
    mv "$tmp" "$f"
}

cmd_stores() {
    mkdirs
    ensure_packages
    ensure_venv
    ensure_pg
    ensure_redis
    ensure_mongo
    write_env
    log "stores ready; environment in .dev/env"
}

wait_gone() {
    local pid="$1" secs="$2"
    for _ in $(seq 1 $((secs * 10))); do
        pid_alive "$pid" || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

# pid of a running app started by this script, or nothing
app_pid() {
    local name="$1" pid
    pid="$(read_pid "$PIDS/$name.pid")"
    pid_alive "$pid" || return 0
    local cmdline
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    [[ "$cmdline" != *"$name"* ]] || echo "$pid"
}

# Seconds an app gets between SIGTERM and SIGKILL. The worker finishes or hands back its jobs
# within LINGO_WORKER_SHUTDOWN_GRACE_MS (25 s by default), so it gets that plus a margin; the
# api and the scheduler stop within seconds.
stop_wait() {
    case "$1" in
        lingo-worker) echo $(( (${LINGO_WORKER_SHUTDOWN_GRACE_MS:-25000} + 999) / 1000 + 10 )) ;;
        *) echo 15 ;;
    esac
}

stop_app() {
    local name="$1" pid
    pid="$(app_pid "$name")"
    if [ -n "$pid" ]; then
        log "stopping $name (pid $pid, SIGKILL after $(stop_wait "$name")s)"
        # started with setsid: the app leads its own process group, so its children go too
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        wait_gone "$pid" "$(stop_wait "$name")"
    fi
    rm -f "$PIDS/$name.pid"
}

# every app at once, so that the worker's grace is not added to the others' shutdown
stop_apps() {
    local name
    for name in "${APPS[@]}"; do stop_app "$name" & done
    wait
}

build_bins() {
    ensure_cargo_path
    log "cargo build --bins"
    (cd "$ROOT" && cargo build --bins)
}

run_migrate() {
    log "lingo-admin migrate"
    (cd "$ROOT" && "$TARGET_DIR/debug/lingo-admin" migrate)
}

cmd_migrate() {
    cmd_stores
    ensure_cargo_path
    (cd "$ROOT" && cargo build --bin lingo-admin)
    run_migrate
}

# --------------------------------------------------------------------------------------------
# dictionary data (deploy/local/data.sh, docs/data.md)

# `up` without the data is still a useful stack (offline machine, no apt): a failed install or
# seed warns and the stack stays up. DATA_INSTALLED tells cmd_up whether there is anything to seed.
DATA_INSTALLED=0
up_data_install() {
    if [ "${LINGO_SKIP_DATA:-0}" = 1 ]; then
        log "dictionary data: skipped (LINGO_SKIP_DATA=1)"
        return 0
    fi
    log "dictionary data: deploy/local/data.sh install"
    if "$DATA_SH" install; then
        DATA_INSTALLED=1
    else
        warn "dictionary data: install failed; the stack comes up without it (retry: deploy/local/stack.sh data)"
    fi
}

# after migrations and once the worker runs: the `import` commands enqueue jobs for it
up_data_seed() {
    [ "$DATA_INSTALLED" -eq 1 ] || return 0
    log "dictionary data: seeding with lingo-admin (deploy/local/data.sh seed)"
    if "$DATA_SH" seed --no-build; then
        log "dictionary data: seeded (imports continue in lingo-worker; see its log)"
    else
        warn "dictionary data: seeding failed; the stack stays up (retry: deploy/local/data.sh seed)"
    fi
}

cmd_data() {
    "$DATA_SH" install
}

cmd_up() {
    cmd_stores
    up_data_install
    build_bins
    run_migrate
    local name pid
    for name in "${APPS[@]}"; do
        stop_app "$name"
        log "starting $name"
        # `&` on the simple command alone, so that $! is the app itself (setsid/nohup exec into it)
        (
            cd "$ROOT" || exit 1
            setsid nohup "$TARGET_DIR/debug/$name" >>"$LOGS/$name.log" 2>&1 </dev/null &
            echo $! >"$PIDS/$name.pid"
        )
    done
    local url="http://127.0.0.1:$LINGO_HTTP_PORT" ready=0
    log "waiting for $url/api/v1/ready"
    for _ in $(seq 1 60); do
        if curl -fsS -o /dev/null --max-time 2 "$url/api/v1/ready" 2>/dev/null; then ready=1; break; fi
        [ -n "$(app_pid lingo-api)" ] || break
        sleep 1
    done
    if [ "$ready" -ne 1 ]; then
        warn "lingo-api did not become ready"
        for name in "${APPS[@]}"; do
            echo "----- .dev/logs/$name.log (tail) -----" >&2
            tail -n 30 "$LOGS/$name.log" >&2 || true
        done
        exit 1
    fi
    up_data_seed
    cat <<EOF

Lingo is up ($LINGO_ENV)
  API        $url
  Docs       $url/docs
  OpenAPI    $url/api/v1/openapi.json
  Metrics    http://${LINGO_METRICS_ADDR:-127.0.0.1:9090}/metrics   (admin listener, LINGO_METRICS_ADDR)
  Logs       $LOGS/{lingo-api,lingo-worker,lingo-scheduler}.log   (deploy/local/stack.sh logs)
  Data       ${LINGO_DATA_DIR:-$DEV/data}   (deploy/local/data.sh; docs/data.md)
  Stop       deploy/local/stack.sh down
EOF
}

cmd_down() {
    mkdirs
    local rec
    stop_apps
    shopt -s nullglob
    for rec in "$PIDS"/postgres-*.private; do stop_private_pg "$rec"; done
    for rec in "$PIDS"/redis-*.private; do stop_private_redis "$rec"; done
    for rec in "$PIDS"/mongo-*.private; do stop_private_mongo "$rec"; done
    shopt -u nullglob
    log "down"
}

# stop one private store by its record name (used by bench.sh for stores it started itself)
cmd_stop_store() {
    local rec="$PIDS/$1"
    [ -f "$rec" ] || return 0
    case "$1" in
        postgres-*) stop_private_pg "$rec" ;;
        redis-*) stop_private_redis "$rec" ;;
        mongo-*) stop_private_mongo "$rec" ;;
    esac
}

cmd_status() {
    mkdirs
    local kind url port state origin
    printf '%-10s %-45s %-12s %s\n' STORE URL STATE ORIGIN
    for kind in postgres redis mongo; do
        case "$kind" in
            postgres) url="$LINGO_DATABASE_URL"; parse_url "$url" 5432
                      if command -v pg_isready >/dev/null 2>&1; then pg_reachable && state=reachable || state=down
                      else tcp_open "$URL_HOST" "$URL_PORT" && state=reachable || state=down; fi ;;
            redis)    url="$LINGO_REDIS_URL"; parse_url "$url" 6379
                      if command -v redis-cli >/dev/null 2>&1; then redis_reachable && state=reachable || state=down
                      else tcp_open "$URL_HOST" "$URL_PORT" && state=reachable || state=down; fi ;;
            mongo)    url="$LINGO_MONGO_URL"; parse_url "$url" 27017
                      mongo_reachable && state=reachable || state=down ;;
        esac
        port="$URL_PORT"
        if [ -f "$PIDS/$kind-$port.private" ]; then origin="private (.dev, started by stack.sh)"
        elif [ "$state" = reachable ]; then origin="reused"
        else origin="-"; fi
        printf '%-10s %-45s %-12s %s\n' "$kind" "$url" "$state" "$origin"
    done
    echo
    printf '%-16s %-10s %s\n' APP STATE PID
    local name pid
    for name in "${APPS[@]}"; do
        pid="$(app_pid "$name")"
        if [ -n "$pid" ]; then printf '%-16s %-10s %s\n' "$name" running "$pid"
        else printf '%-16s %-10s %s\n' "$name" stopped -; fi
    done
    if [ -n "$(app_pid lingo-api)" ]; then
        echo
        if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$LINGO_HTTP_PORT/api/v1/ready" 2>/dev/null; then
            echo "api ready: http://127.0.0.1:$LINGO_HTTP_PORT"
        else
            echo "api NOT ready: http://127.0.0.1:$LINGO_HTTP_PORT/api/v1/ready"
        fi
    fi
}

cmd_logs() {
    mkdirs
    local files=() name
    for name in "${APPS[@]}"; do
        touch "$LOGS/$name.log"
        files+=("$LOGS/$name.log")
    done
    exec tail -n 50 -F "${files[@]}"
}

usage() {
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
    local cmd="${1:-}"
    [ "$#" -eq 0 ] || shift
    case "$cmd" in
        stores) cmd_stores ;;
        up) cmd_up ;;
        down) cmd_down ;;
        status) cmd_status ;;
        logs) cmd_logs ;;
        migrate) cmd_migrate ;;
        venv) ensure_venv ;;
        data) cmd_data ;;
        stop-store) cmd_stop_store "$@" ;;
        -h|--help|help|"") usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
