#!/usr/bin/env bash
# Builds the Lingo container images with no image registry, from Debian's packages only:
#
#   deploy/images/build.sh [all|base|lingo|postgres|redis|secantusdb|haproxy|print-env]...
#
#   base        debootstrap a minimal Debian root filesystem and `docker import` it
#               (LINGO_IMAGE_BASE, default lingo/debian-base:bookworm)
#   lingo       lingo-api, lingo-worker, lingo-scheduler, lingo-admin built on the host with
#               `cargo build --release`, on the base, through deploy/Dockerfile (target `runtime`,
#               binaries from the `prebuilt` stage)               (LINGO_IMAGE_APP)
#   postgres    Debian's PostgreSQL with an entrypoint compatible with the official image's
#               POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB          (LINGO_IMAGE_POSTGRES)
#   redis       Debian's redis-server                               (LINGO_IMAGE_REDIS)
#   secantusdb  the MongoDB-wire server from PyPI in a venv         (LINGO_IMAGE_MONGO)
#   haproxy     Debian's HAProxy, the load balancer of the scale profile (LINGO_IMAGE_HAPROXY)
#   stores      base, postgres, redis, secantusdb (what the tests need)
#   all         every image but haproxy (the default)
#   print-env   print the image names as `export` lines (for compose and testcontainers)
#
# Idempotent and cached: every image carries a label with the hash of its inputs (the files it
# is built from, its base image's id, the binaries); an image whose label matches is reused as
# it is, so a second run builds nothing. LINGO_IMAGES_REBUILD=1 builds again anyway. The base
# root filesystem is also kept as a tarball under LINGO_IMAGE_CACHE (default .dev/images) so a
# pruned engine re-imports it without running debootstrap again.
#
# The images are built with `docker build` FROM the imported base, whose apt reaches
# Debian's mirror (and pip PyPI) from inside the build container; nothing is pulled.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/deploy/images"
LOG_TAG=images
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"

: "${LINGO_IMAGE_SUITE:=bookworm}"
: "${LINGO_IMAGE_MIRROR:=http://deb.debian.org/debian}"
: "${LINGO_IMAGE_SECURITY_MIRROR:=http://deb.debian.org/debian-security}"
: "${LINGO_IMAGE_REPO:=lingo}"
: "${LINGO_IMAGE_TAG:=local}"
: "${LINGO_IMAGE_BASE:=$LINGO_IMAGE_REPO/debian-base:$LINGO_IMAGE_SUITE}"
: "${LINGO_IMAGE_APP:=$LINGO_IMAGE_REPO/lingo:$LINGO_IMAGE_TAG}"
: "${LINGO_IMAGE_POSTGRES:=$LINGO_IMAGE_REPO/postgres:$LINGO_IMAGE_TAG}"
: "${LINGO_IMAGE_REDIS:=$LINGO_IMAGE_REPO/redis:$LINGO_IMAGE_TAG}"
: "${LINGO_IMAGE_MONGO:=$LINGO_IMAGE_REPO/secantusdb:$LINGO_IMAGE_TAG}"
: "${LINGO_IMAGE_HAPROXY:=$LINGO_IMAGE_REPO/haproxy:$LINGO_IMAGE_TAG}"
: "${LINGO_IMAGE_CACHE:=$ROOT/.dev/images}"
: "${LINGO_IMAGES_REBUILD:=0}"
# the version of secantusdb pip installs into its image ("" = newest)
: "${LINGO_SECANTUSDB_VERSION:=}"

LABEL=org.lingo.inputs
BINS=(lingo-api lingo-worker lingo-scheduler lingo-admin)
# packages of the base beyond debootstrap's minbase: certificates for outbound TLS, tini as pid 1
BASE_PACKAGES=(ca-certificates tini)

# the classic builder: Debian's docker.io CLI has no buildx, which BuildKit needs
export DOCKER_BUILDKIT=0

# --------------------------------------------------------------------------------------------

ensure_docker() {
    command -v docker >/dev/null 2>&1 || die "docker not found"
    docker info >/dev/null 2>&1 || die "the Docker engine does not answer (docker info)"
}

hash_of() { sha256sum | cut -c1-32; }

# sha of the files under the given paths (names and contents), in a stable order
hash_files() {
    local p
    for p in "$@"; do
        if [ -d "$p" ]; then
            (cd "$p" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
        else
            sha256sum "$p"
        fi
    done | sed "s#$ROOT/##" | hash_of
}

image_label() { docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null || true; }
image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

# fresh IMAGE HASH: true when IMAGE exists with inputs HASH (and no rebuild is asked for)
fresh() {
    [ "$LINGO_IMAGES_REBUILD" != 1 ] && [ "$(image_label "$1")" = "$2" ]
}

# --------------------------------------------------------------------------------------------
# base: debootstrap --variant=minbase, trimmed, imported

write_base_config() {
    local dir="$1"
    cat >"$dir/etc/apt/sources.list" <<SRC
deb $LINGO_IMAGE_MIRROR $LINGO_IMAGE_SUITE main
deb $LINGO_IMAGE_MIRROR $LINGO_IMAGE_SUITE-updates main
deb $LINGO_IMAGE_SECURITY_MIRROR $LINGO_IMAGE_SUITE-security main
SRC
    # like debian:*-slim: no recommends, no docs or man pages, no apt caches left in layers
    cat >"$dir/etc/apt/apt.conf.d/90lingo-container" <<'CONF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
CONF
    cat >"$dir/etc/dpkg/dpkg.cfg.d/90lingo-nodoc" <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CONF
    # services must not start inside a chroot or an image build
    printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
    chmod 755 "$dir/usr/sbin/policy-rc.d"
}

trim_rootfs() {
    local dir="$1"
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
        "$dir"/var/log/*.log "$dir"/var/log/apt/* "$dir"/tmp/* "$dir"/root/.cache
    find "$dir/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
    rm -rf "$dir"/usr/share/man/* "$dir"/usr/share/info/*
    find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + 2>/dev/null || true
    # no host identity in the image
    : >"$dir/etc/machine-id"
    rm -f "$dir/etc/hostname" "$dir/etc/resolv.conf"
}

# debootstrap DIR PACKAGES...: a minbase root filesystem with the packages, configured
debootstrap_into() {
    local dir="$1"
    shift
    command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
    local include
    include="$(IFS=,; echo "$*")"
    log "debootstrap --variant=minbase $LINGO_IMAGE_SUITE (+ $include) from $LINGO_IMAGE_MIRROR"
    debootstrap --variant=minbase --include="$include" "$LINGO_IMAGE_SUITE" "$dir" "$LINGO_IMAGE_MIRROR" \
        >"$LINGO_IMAGE_CACHE/debootstrap.log" 2>&1 ||
        { tail -n 30 "$LINGO_IMAGE_CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $LINGO_IMAGE_CACHE/debootstrap.log)"; }
    write_base_config "$dir"
}

base_hash() {
    { echo "suite=$LINGO_IMAGE_SUITE mirror=$LINGO_IMAGE_MIRROR security=$LINGO_IMAGE_SECURITY_MIRROR";
      echo "packages=${BASE_PACKAGES[*]}";
      declare -f write_base_config trim_rootfs debootstrap_into; } | hash_of
}

build_base() {
    local hash tarball
    hash="$(base_hash)"
    if fresh "$LINGO_IMAGE_BASE" "$hash"; then
        log "$LINGO_IMAGE_BASE: up to date (reused)"
        return 0
    fi
    mkdir -p "$LINGO_IMAGE_CACHE"
    tarball="$LINGO_IMAGE_CACHE/base-$LINGO_IMAGE_SUITE-$hash.tar"
    if [ ! -s "$tarball" ] || [ "$LINGO_IMAGES_REBUILD" = 1 ]; then
        local dir="$LINGO_IMAGE_CACHE/rootfs-base"
        rm -rf "$dir"
        mkdir -p "$dir"
        debootstrap_into "$dir" "${BASE_PACKAGES[@]}"
        trim_rootfs "$dir"
        rm -f "$LINGO_IMAGE_CACHE"/base-"$LINGO_IMAGE_SUITE"-*.tar
        tar --numeric-owner --xattrs -C "$dir" -cf "$tarball.tmp" .
        mv "$tarball.tmp" "$tarball"
        rm -rf "$dir"
    else
        log "base root filesystem: cached $tarball"
    fi
    log "docker import → $LINGO_IMAGE_BASE"
    docker import \
        --change "LABEL $LABEL=$hash" \
        --change "LABEL org.opencontainers.image.description=\"Debian $LINGO_IMAGE_SUITE minbase from $LINGO_IMAGE_MIRROR\"" \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
        --change 'CMD ["/bin/bash"]' \
        "$tarball" "$LINGO_IMAGE_BASE" >/dev/null
    log "$LINGO_IMAGE_BASE: $(docker image inspect -f '{{.Size}}' "$LINGO_IMAGE_BASE" | awk '{printf "%.0f MB", $1/1e6}')"
}

# --------------------------------------------------------------------------------------------
# images built FROM the base with a Dockerfile

# build_image IMAGE CONTEXT DOCKERFILE HASH [docker build args...]
build_image() {
    local image="$1" context="$2" dockerfile="$3" hash="$4"
    shift 4
    if fresh "$image" "$hash"; then
        log "$image: up to date (reused)"
        return 0
    fi
    log "docker build → $image"
    local logf="$LINGO_IMAGE_CACHE/build-$(echo "$image" | tr '/:' '__').log"
    mkdir -p "$LINGO_IMAGE_CACHE"
    docker build --label "$LABEL=$hash" -t "$image" -f "$dockerfile" "$@" "$context" \
        >"$logf" 2>&1 || { tail -n 40 "$logf" >&2; die "docker build of $image failed (log: $logf)"; }
    log "$image: $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"
}

base_id() {
    local id
    id="$(image_id "$LINGO_IMAGE_BASE")"
    [ -n "$id" ] || die "$LINGO_IMAGE_BASE missing: build it first (deploy/images/build.sh base)"
    echo "$id"
}

# The build context of deploy/images/NAME, staged under the cache with build-ca/: the certificate
# authorities this host adds to Debian's (LINGO_IMAGE_BUILD_CA_DIR, default
# /usr/local/share/ca-certificates), for a build behind a TLS-intercepting proxy. They are used
# while building (pip) and are not left in the image.
stage_context() {
    local name="$1" ctx="$LINGO_IMAGE_CACHE/context-$1"
    rm -rf "$ctx"
    mkdir -p "$ctx/build-ca"
    cp -a "$HERE/$name/." "$ctx/"
    local ca_dir="${LINGO_IMAGE_BUILD_CA_DIR:-/usr/local/share/ca-certificates}"
    if [ -d "$ca_dir" ]; then
        find "$ca_dir" -maxdepth 2 -name '*.crt' -exec cp {} "$ctx/build-ca/" \;
    fi
    echo "$ctx"
}

build_store() {
    local name="$1" image="$2"
    shift 2
    local ctx hash
    ctx="$(stage_context "$name")"
    hash="$({ hash_files "$ctx"; base_id; echo "$*"; } | hash_of)"
    build_image "$image" "$ctx" "$ctx/Dockerfile" "$hash" --build-arg "BASE_IMAGE=$LINGO_IMAGE_BASE" "$@"
    rm -rf "$ctx"
}

build_postgres() { build_store postgres "$LINGO_IMAGE_POSTGRES"; }
build_redis() { build_store redis "$LINGO_IMAGE_REDIS"; }
build_haproxy() { build_store haproxy "$LINGO_IMAGE_HAPROXY"; }
build_secantusdb() {
    build_store secantusdb "$LINGO_IMAGE_MONGO" \
        --build-arg "SECANTUSDB_SPEC=secantusdb${LINGO_SECANTUSDB_VERSION:+==$LINGO_SECANTUSDB_VERSION}"
}

# the release binaries: cargo is its own cache (a no-op when they are up to date);
# LINGO_IMAGE_SKIP_CARGO=1 takes the binaries already in the target directory
release_dir() {
    ensure_cargo_path
    local target
    target="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
    echo "$target/release"
}

build_lingo() {
    local rel ctx bin hash
    rel="$(release_dir)"
    if [ "${LINGO_IMAGE_SKIP_CARGO:-0}" != 1 ]; then
        log "cargo build --release (the four binaries)"
        (cd "$ROOT" && cargo build --release --locked $(printf -- '--bin %s ' "${BINS[@]}")) ||
            die "cargo build --release failed"
    fi
    ctx="$LINGO_IMAGE_CACHE/lingo-context"
    rm -rf "$ctx"
    mkdir -p "$ctx/bin"
    for bin in "${BINS[@]}"; do
        [ -x "$rel/$bin" ] || die "$rel/$bin missing (cargo build --release --bin $bin)"
        # hard link when on the same file system: no copy of ~100 MB of binaries
        ln "$rel/$bin" "$ctx/bin/$bin" 2>/dev/null || cp "$rel/$bin" "$ctx/bin/$bin"
    done
    # the `runtime` stage of deploy/Dockerfile, with the binaries from bin/ of this context
    {
        echo "ARG RUNTIME_IMAGE"
        sed -n '/^FROM \${RUNTIME_IMAGE} AS runtime/,$p' "$ROOT/deploy/Dockerfile" |
            sed 's#^COPY --from=builder /out/ #COPY bin/ #'
    } >"$ctx/Dockerfile"
    grep -q '^COPY bin/ ' "$ctx/Dockerfile" || die "deploy/Dockerfile: no runtime stage with COPY --from=builder /out/"
    hash="$({ hash_files "$ctx"; base_id; } | hash_of)"
    build_image "$LINGO_IMAGE_APP" "$ctx" "$ctx/Dockerfile" "$hash" --build-arg "RUNTIME_IMAGE=$LINGO_IMAGE_BASE"
    rm -rf "$ctx"
}

print_env() {
    local v
    for v in LINGO_IMAGE_BASE LINGO_IMAGE_APP LINGO_IMAGE_POSTGRES LINGO_IMAGE_REDIS LINGO_IMAGE_MONGO LINGO_IMAGE_HAPROXY; do
        printf 'export %s=%q\n' "$v" "${!v}"
    done
}

# --------------------------------------------------------------------------------------------

main() {
    ensure_docker
    [ "$#" -gt 0 ] || set -- all
    local what
    for what in "$@"; do
        case "$what" in
            all) build_base; build_postgres; build_redis; build_secantusdb; build_lingo ;;
            stores) build_base; build_postgres; build_redis; build_secantusdb ;;
            base) build_base ;;
            lingo) build_base; build_lingo ;;
            postgres) build_base; build_postgres ;;
            redis) build_base; build_redis ;;
            secantusdb | mongo) build_base; build_secantusdb ;;
            haproxy) build_base; build_haproxy ;;
            print-env) print_env ;;
            *) die "unknown image: $what (base, lingo, postgres, redis, secantusdb, haproxy, all, print-env)" ;;
        esac
    done
}

main "$@"
