#!/bin/sh
# First start: initdb into $PGDATA, the POSTGRES_USER superuser with POSTGRES_PASSWORD, the
# POSTGRES_DB database; every address may connect with the password (scram-sha-256).
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
# where the server puts its Unix socket and lock file (a tmpfs when the root file system is
# read-only: POSTGRES_SOCKET_DIR=/tmp)
: "${POSTGRES_SOCKET_DIR:=/var/run/postgresql}"

# options alone (`-c fsync=off`) are options of postgres, as in the official image
case "${1:-}" in -*) set -- postgres "$@" ;; esac
if [ "${1:-}" != postgres ]; then exec "$@"; fi
shift

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
        echo "postgres: POSTGRES_PASSWORD is required (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
        exit 1
    fi
    mkdir -p "$PGDATA"
    chmod 700 "$PGDATA"
    pwfile="$(mktemp)"
    printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
    initdb -D "$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD" >/dev/null
    rm -f "$pwfile"
    printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"
    # a private server on the socket only, so nothing connects before the database exists; its
    # log goes to a file so "ready to accept connections" appears once, from the real server
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=$POSTGRES_SOCKET_DIR" \
        -l /tmp/initdb-server.log -w start >/dev/null
    if [ "$POSTGRES_DB" != postgres ]; then
        psql -v ON_ERROR_STOP=1 -h "$POSTGRES_SOCKET_DIR" -U "$POSTGRES_USER" -d postgres -q \
            -c "CREATE DATABASE \"$POSTGRES_DB\"" >/dev/null
    fi
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    rm -f /tmp/initdb-server.log
    echo "postgres: initialised $PGDATA (user $POSTGRES_USER, database $POSTGRES_DB)" >&2
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories="$POSTGRES_SOCKET_DIR" "$@"
