# Shared helpers for the deploy/local scripts (stack.sh, data.sh). Source it, do not run it:
#
#   LOG_TAG=stack
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# It defines functions only (plus the colour codes and APT_UPDATED); callers keep their own paths.
# shellcheck shell=bash

[ -n "${LINGO_LIB_SH:-}" ] && return 0
LINGO_LIB_SH=1

: "${LOG_TAG:=lingo}"

# colours only when stderr is a terminal, so logs and CI output stay plain
if [ -t 2 ]; then C_B=$'\033[1;34m' C_Y=$'\033[1;33m' C_R=$'\033[1;31m' C_0=$'\033[0m'; else C_B='' C_Y='' C_R='' C_0=''; fi
log() { printf '%s[%s]%s %s\n' "$C_B" "$LOG_TAG" "$C_0" "$*" >&2; }
warn() { printf '%s[%s]%s %s\n' "$C_Y" "$LOG_TAG" "$C_0" "$*" >&2; }
die() { printf '%s[%s]%s %s\n' "$C_R" "$LOG_TAG" "$C_0" "$*" >&2; exit 1; }

# --------------------------------------------------------------------------------------------
# packages

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root (or sudo) to run: $*"
    fi
}

# apt-get install, with one `apt-get update` per process first (a fresh machine has no lists)
APT_UPDATED=0
apt_install() {
    [ "$#" -gt 0 ] || return 0
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install manually: $*"
    log "installing Debian packages: $*"
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# cargo lives in ~/.cargo/bin, which non-login shells (just, CI) may not have on PATH
ensure_cargo_path() {
    command -v cargo >/dev/null 2>&1 || export PATH="${HOME:-/root}/.cargo/bin:$PATH"
}

# --------------------------------------------------------------------------------------------
# Python virtual environment

# venv_create DIR: a working venv at DIR (recreated when broken). Debian's python3 ships without
# the venv module, hence the python3-venv fallback.
venv_create() {
    local venv="$1"
    if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
        return 0
    fi
    command -v python3 >/dev/null 2>&1 || apt_install python3
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        rm -rf "$venv"
        local pyver
        pyver="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
        apt_install python3-venv "python${pyver}-venv" || apt_install python3-venv
        python3 -m venv "$venv" || die "python3 -m venv failed"
    fi
}

# venv_pip_install DIR SPEC...: pip install into the venv at DIR (quietly; errors still show)
venv_pip_install() {
    local venv="$1"
    shift
    [ "$#" -gt 0 ] || return 0
    log "pip install $* into ${venv#"${ROOT:-}/"}"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" >&2
}
