#!/bin/sh
# Like the official image: with no configuration file, listen on every address (the container's
# network is the boundary; protected mode would refuse every other container) and log to stdout.
set -eu
case "${1:-}" in -*) set -- redis-server "$@" ;; esac
if [ "${1:-}" = redis-server ]; then
    shift
    exec redis-server --bind 0.0.0.0 --protected-mode no --dir /data --logfile "" "$@"
fi
exec "$@"
