# Lingo developer commands. `just --list` shows them all.
set shell := ["bash", "-euo", "pipefail", "-c"]

stack := "deploy/local/stack.sh"

# list the recipes
default:
    @{{just_executable()}} --justfile {{justfile()}} --list

# start stores (reused or private under .dev/), build, migrate, run api + worker + scheduler
up:
    {{stack}} up

# stop the apps and the private stores started by `up`/`stores`
down:
    {{stack}} down

# show stores and app processes
status:
    {{stack}} status

# follow the app logs
logs:
    {{stack}} logs

# ensure the stores answer and write .dev/env
stores:
    {{stack}} stores

# apply PostgreSQL migrations (lingo-admin migrate)
migrate:
    {{stack}} migrate

# run the whole test suite against the local stores (nextest when installed)
test:
    {{stack}} stores
    source .dev/env; \
    if cargo nextest --version >/dev/null 2>&1; then \
        cargo nextest run --workspace --no-fail-fast; \
    else \
        cargo test --workspace --no-fail-fast; \
    fi

# the Redis adapter's tests (queue scripts, lease, rate limits, cache, key slots), the worker's queue tests and the scheduler's tests against a private three-master Redis Cluster on ports 7101-7103, stopped afterwards
test-redis-cluster:
    #!/usr/bin/env bash
    set -euo pipefail
    {{stack}} stores
    source .dev/env
    url="$(deploy/local/redis-cluster.sh start)"
    trap 'deploy/local/redis-cluster.sh stop' EXIT
    export LINGO_REDIS_URL="$url"
    run() { if cargo nextest --version >/dev/null 2>&1; then cargo nextest run --no-fail-fast "$@"; else cargo test --no-fail-fast "$@"; fi; }
    rc=0
    run -p lingo-redis || rc=1
    run -p lingo-worker --test queue || rc=1
    run -p lingo-scheduler || rc=1
    exit "$rc"

# the served OpenAPI document validated, then schemathesis over every operation as a learner and an admin (docs/api-contract.md)
contract:
    {{stack}} stores
    source .dev/env; deploy/local/contract.sh

# a Python client generated from the served OpenAPI document drives a whole learner's journey (docs/api-contract.md)
client-journey:
    {{stack}} stores
    source .dev/env; deploy/local/client_journey.sh

# the whole test suite against stores in containers that testcontainers starts from the images built here
test-containers *args:
    deploy/images/test-containers.sh {{args}}

# container images with no registry (debootstrap base, lingo, postgres, redis, secantusdb); cached
images *what:
    deploy/images/build.sh {{what}}

# build the images and run the whole stack in containers in production mode; prints the URL
containers:
    deploy/containers.sh up

# stop the container stack (its volumes stay; `deploy/containers.sh down -v` drops them)
containers-down:
    deploy/containers.sh down

# HAProxy + 2 api + 3 workers + 2 schedulers in containers: load through a worker SIGKILL and rolling restarts; 0 failed, 0 lost (docs/deploy.md#scale-test)
scale-test *args:
    deploy/scale-test.sh {{args}}

# validate the Kubernetes manifests (base and overlays) offline against the Kubernetes schemas
k8s-validate:
    deploy/k8s/validate.sh

# benchmarks through HTTP (wrk) next to baselines from the same run (pgbench, /health), then in-process lines; BENCH_ONLY=http for the first part
bench:
    deploy/local/bench.sh

# fault injection against a private stack (own ports and prefix), < 10 min; one row per experiment (docs/chaos.md)
chaos *args:
    python3 deploy/local/chaos.py {{args}}

# format the workspace
fmt:
    cargo fmt --all

# clippy on every target, warnings are errors
lint:
    cargo clippy --workspace --all-targets -- -D warnings
