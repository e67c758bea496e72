#!/usr/bin/env bash
# A private three-master Redis Cluster from Debian's redis-server, for the cluster tests
# (`just test-redis-cluster`):
#
#   deploy/local/redis-cluster.sh start   start it (or reuse it when it answers), wait for
#                                         cluster_state:ok, print its URL on stdout
#   deploy/local/redis-cluster.sh stop    stop the nodes it started and drop their data
#   deploy/local/redis-cluster.sh url     print the URL
#
# Ports LINGO_REDIS_CLUSTER_PORTS (default "7101 7102 7103"), data, logs and pid files under
# .dev/redis-cluster/<port>/ (LINGO_DEV_DIR moves .dev). No replicas, no persistence: it is a
# throwaway for tests, not a model for production (docs/deploy.md, Redis).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEV="${LINGO_DEV_DIR:-$ROOT/.dev}"
BASE="$DEV/redis-cluster"
read -r -a PORTS <<<"${LINGO_REDIS_CLUSTER_PORTS:-7101 7102 7103}"
HOST=127.0.0.1

# log/warn/die, apt_install
LOG_TAG=redis-cluster
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"

url() { echo "redis-cluster://$HOST:${PORTS[0]}"; }

ensure_packages() {
    local want=()
    command -v redis-server >/dev/null 2>&1 || want+=(redis-server)
    command -v redis-cli >/dev/null 2>&1 || want+=(redis-tools)
    [ "${#want[@]}" -eq 0 ] || apt_install "${want[@]}"
}

cli() { local port="$1"; shift; timeout 5 redis-cli -h "$HOST" -p "$port" "$@"; }

answers() { [ "$(cli "$1" ping 2>/dev/null || true)" = "PONG" ]; }

cluster_ok() { cli "${PORTS[0]}" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_state:ok'; }

start_node() {
    local port="$1" dir="$BASE/$1"
    if answers "$port"; then
        [ -f "$dir/redis.pid" ] || die "port $port answers but is not a node of this cluster (no $dir/redis.pid)"
        return 0
    fi
    mkdir -p "$dir"
    rm -f "$dir/nodes.conf" "$dir/dump.rdb"
    redis-server --bind "$HOST" --port "$port" --daemonize yes --dir "$dir" \
        --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
        --appendonly no --save '' --maxmemory-policy noeviction \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
    for _ in $(seq 1 50); do
        answers "$port" && return 0
        sleep 0.1
    done
    die "node on port $port did not come up (log: $dir/redis.log)"
}

start() {
    ensure_packages
    local port
    for port in "${PORTS[@]}"; do start_node "$port"; done
    if ! cluster_ok; then
        local known
        known="$(cli "${PORTS[0]}" cluster info | tr -d '\r' | sed -n 's/^cluster_known_nodes://p')"
        if [ "${known:-1}" -lt "${#PORTS[@]}" ]; then
            log "creating the cluster on ports ${PORTS[*]}"
            local nodes=()
            for port in "${PORTS[@]}"; do nodes+=("$HOST:$port"); done
            redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$BASE/create.log" 2>&1 ||
                die "redis-cli --cluster create failed (log: $BASE/create.log)"
        fi
        for _ in $(seq 1 100); do
            cluster_ok && break
            sleep 0.1
        done
        cluster_ok || die "the cluster did not reach cluster_state:ok"
    fi
    log "cluster_state:ok on ports ${PORTS[*]}"
    url
}

stop() {
    local port pid dir
    for port in "${PORTS[@]}"; do
        dir="$BASE/$port"
        pid="$( [ -f "$dir/redis.pid" ] && tr -dc '0-9' <"$dir/redis.pid" || true)"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            log "stopping the node on port $port (pid $pid)"
            kill "$pid"
            for _ in $(seq 1 100); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
        fi
        rm -rf "$dir"
    done
    rm -f "$BASE/create.log"
    rmdir "$BASE" 2>/dev/null || true
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
