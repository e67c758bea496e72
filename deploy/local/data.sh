#!/usr/bin/env bash
# Real language data for the dictionary feature (see docs/data.md).
#
#   deploy/local/data.sh install            install and convert the data (idempotent; fast when done)
#   deploy/local/data.sh seed [--no-build]  load it into the running stack with lingo-admin
#   deploy/local/data.sh summary            list the installed files with their line counts
#
# The data is installed at setup time, never committed: most of it is GPL or share-alike.
#   Debian:  dict-freedict-eng-ara, dict-freedict-eng-spa (FreeDict, GPL-2+) -> /usr/share/dictd
#            wordnet-base (Princeton WordNet 3.0)                           -> /usr/share/wordnet
#   PyPI:    wordfreq 3.1.1 (data CC BY-SA 4.0)  -> $LINGO_DATA_DIR/frequency/<lang>.tsv  word<TAB>zipf
#            simplemma (MIT code, mixed data)    -> $LINGO_DATA_DIR/lemmas/<lang>.tsv     form<TAB>lemma
#   $LINGO_DATA_DIR/manifest.tsv records file, source, licence and version of each.
# LINGO_DATA_DIR defaults to .dev/data (git-ignored). The Python converters run in .dev/venv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEV="$ROOT/.dev"
VENV="$DEV/venv"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DATA_DIR="$(realpath -m -- "${LINGO_DATA_DIR:-$DEV/data}")" # absolute: seed runs lingo-admin from $ROOT
CACHE_DIR="$DATA_DIR/cache"
MANIFEST="$DATA_DIR/manifest.tsv"

LOG_TAG=data
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"

# Pinned so that a rerun on another machine produces the same tables.
WORDFREQ_VERSION=3.1.1
SIMPLEMMA_VERSION="${LINGO_SIMPLEMMA_VERSION:-2.0.0}"
MSGPACK_SPEC='msgpack>=1.0,<2'

# wordfreq lists to convert, <lang>:<small|large>. `large` has far more (rarer) words but exists
# only for some languages (en, ar, es among ours; not fa).
FREQ_LISTS=(en:large ar:small fa:small es:small)
# simplemma dictionaries to export
LEMMA_LANGS=(fa ar es)

DICTD_DIR=/usr/share/dictd
WORDNET_DIR=/usr/share/wordnet
# FreeDict pairs: <dictd name>:<headword language>:<translation language> (package dict-<name>)
FREEDICT_PAIRS=(freedict-eng-ara:en:ar freedict-eng-spa:en:es)
WORDNET_FILES=(index.noun index.verb index.adj index.adv data.noun data.verb data.adj data.adv
    noun.exc verb.exc adj.exc adv.exc)

FREEDICT_LICENCE=GPL-2.0-or-later
WORDNET_LICENCE=WordNet-3.0
WORDFREQ_LICENCE='CC-BY-SA-4.0 (data); Apache-2.0 (code)'
SIMPLEMMA_LICENCE='MIT (code); data from several sources, see simplemma README and NOTICE'

# --------------------------------------------------------------------------------------------
# manifest: rows of the previous run (to skip work) and of this one (written at the end)

MANIFEST_ROWS=()

manifest_add() { # FILE SOURCE LICENCE VERSION
    MANIFEST_ROWS+=("$(printf '%s\t%s\t%s\t%s' "$@")")
}

# up_to_date FILE SOURCE LICENCE VERSION: the output exists, is not empty, and the previous
# manifest records it with exactly this provenance (a changed version or list size redoes it).
up_to_date() {
    local file="$1" row
    row="$(printf '%s\t%s\t%s\t%s' "$@")"
    [ -s "$DATA_DIR/$file" ] && [ -f "$MANIFEST" ] && grep -qxF -- "$row" "$MANIFEST"
}

write_manifest() {
    local tmp="$MANIFEST.tmp"
    {
        printf 'file\tsource\tlicence\tversion\n'
        printf '%s\n' "${MANIFEST_ROWS[@]}"
    } >"$tmp"
    mv "$tmp" "$MANIFEST"
}

deb_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown; }

# --------------------------------------------------------------------------------------------
# Debian packages: FreeDict and WordNet

install_debian() {
    local want=() pair name
    for pair in "${FREEDICT_PAIRS[@]}"; do
        name="${pair%%:*}"
        [ -s "$DICTD_DIR/$name.index" ] && [ -s "$DICTD_DIR/$name.dict.dz" ] || want+=("dict-$name")
    done
    missing_wordnet_files >/dev/null || want+=(wordnet-base)
    if [ "${#want[@]}" -gt 0 ]; then
        # --reinstall also restores files deleted from a package that dpkg thinks is installed
        apt_install --reinstall "${want[@]}"
    else
        log "Debian dictionaries present (FreeDict ${FREEDICT_PAIRS[*]%%:*}, WordNet)"
    fi

    # verify: a package can install and still lack a file (renamed upstream, dpkg path excludes)
    local missing=()
    for pair in "${FREEDICT_PAIRS[@]}"; do
        name="${pair%%:*}"
        [ -s "$DICTD_DIR/$name.index" ] || missing+=("$DICTD_DIR/$name.index")
        [ -s "$DICTD_DIR/$name.dict.dz" ] || missing+=("$DICTD_DIR/$name.dict.dz")
        manifest_add "$DICTD_DIR/$name.index" "Debian dict-$name (FreeDict ${name#freedict-}; .index + .dict.dz)" \
            "$FREEDICT_LICENCE" "$(deb_version "dict-$name")"
    done
    local f
    while IFS= read -r f; do missing+=("$f"); done < <(missing_wordnet_files || true)
    manifest_add "$WORDNET_DIR" "Debian wordnet-base (Princeton WordNet 3.0 database)" \
        "$WORDNET_LICENCE" "$(deb_version wordnet-base)"
    [ "${#missing[@]}" -eq 0 ] || die "missing after apt-get install: ${missing[*]}"
}

# prints the WordNet files that are missing; fails when there is any
missing_wordnet_files() {
    local f rc=0
    for f in "${WORDNET_FILES[@]}"; do
        [ -s "$WORDNET_DIR/$f" ] || { echo "$WORDNET_DIR/$f"; rc=1; }
    done
    return "$rc"
}

# --------------------------------------------------------------------------------------------
# Python side: msgpack (to read wordfreq's lists) and simplemma, in the project venv

PY="$VENV/bin/python"
VENV_READY=0

ensure_data_venv() {
    [ "$VENV_READY" -eq 0 ] || return 0
    venv_create "$VENV"
    local need=()
    "$PY" -c 'import msgpack' >/dev/null 2>&1 || need+=("$MSGPACK_SPEC")
    [ "$(simplemma_installed_version)" = "$SIMPLEMMA_VERSION" ] || need+=("simplemma==$SIMPLEMMA_VERSION")
    [ "${#need[@]}" -eq 0 ] || venv_pip_install "$VENV" "${need[@]}"
    VENV_READY=1
}

simplemma_installed_version() {
    "$PY" -c 'import importlib.metadata as m; print(m.version("simplemma"))' 2>/dev/null || true
}

# --------------------------------------------------------------------------------------------
# wordfreq -> frequency/<lang>.tsv

freq_source() { echo "PyPI wordfreq $WORDFREQ_VERSION wordfreq/data/$2_$1.msgpack.gz"; }

install_frequencies() {
    local todo=() item lang size
    for item in "${FREQ_LISTS[@]}"; do
        lang="${item%%:*}" size="${item#*:}"
        if up_to_date "frequency/$lang.tsv" "$(freq_source "$lang" "$size")" "$WORDFREQ_LICENCE" "$WORDFREQ_VERSION"; then
            log "frequency/$lang.tsv up to date"
        else
            todo+=("$item")
        fi
        manifest_add "frequency/$lang.tsv" "$(freq_source "$lang" "$size")" "$WORDFREQ_LICENCE" "$WORDFREQ_VERSION"
    done
    [ "${#todo[@]}" -gt 0 ] || return 0

    ensure_data_venv
    local wheel="$CACHE_DIR/wordfreq-$WORDFREQ_VERSION-py3-none-any.whl"
    if [ ! -s "$wheel" ]; then
        # the wheel (57 MB) carries the lists; --no-deps: we read its data files, not its code
        log "pip download wordfreq==$WORDFREQ_VERSION"
        "$PY" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
            -d "$CACHE_DIR" "wordfreq==$WORDFREQ_VERSION" >&2
        [ -s "$wheel" ] || die "pip download did not produce $wheel"
    fi
    mkdir -p "$DATA_DIR/frequency"
    log "converting wordfreq lists: ${todo[*]}"
    "$PY" - "$wheel" "$DATA_DIR/frequency" "${todo[@]}" <<'PY'
# wordfreq's cBpack format: gzip(msgpack([header, bucket1, bucket2, ...])); bucket i holds the
# words whose frequency rounds to Zipf 9 - (i-1)/100 (centibels). Read from the wheel directly.
# Tokens without a single letter (emoji, symbols, digit patterns like "00", a lone ZWNJ) are not
# vocabulary and are left out.
import gzip, os, sys, unicodedata, zipfile
import msgpack

wheel, outdir, items = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as zf:
    for item in items:
        lang, size = item.split(":")
        member = f"wordfreq/data/{size}_{lang}.msgpack.gz"
        data = msgpack.unpackb(gzip.decompress(zf.read(member)), raw=False)
        header = data[0]
        if not (isinstance(header, dict) and header.get("format") == "cB"):
            sys.exit(f"{member}: unexpected header {header!r}")
        out = os.path.join(outdir, f"{lang}.tsv")
        seen, written, skipped = set(), 0, 0
        with open(out + ".tmp", "w", encoding="utf-8", newline="\n") as f:
            for i, bucket in enumerate(data[1:], start=1):
                zipf = f"{(900 - (i - 1)) / 100:.2f}"
                for word in bucket:
                    # buckets go from frequent to rare: the first occurrence has the highest Zipf
                    if word in seen:
                        continue
                    seen.add(word)
                    if any(c in word for c in "\t\n\r") or not any(
                        unicodedata.category(c).startswith("L") for c in word
                    ):
                        skipped += 1
                        continue
                    written += 1
                    f.write(f"{word}\t{zipf}\n")
        os.replace(out + ".tmp", out)
        print(f"  frequency/{lang}.tsv: {written} words from {member} "
              f"({skipped} tokens without a letter left out)", file=sys.stderr)
PY
}

# --------------------------------------------------------------------------------------------
# simplemma -> lemmas/<lang>.tsv

lemma_source() {
    echo "PyPI simplemma $SIMPLEMMA_VERSION simplemma/strategies/dictionaries/data/$1.plzma"
}

install_lemmas() {
    local todo=() lang
    for lang in "${LEMMA_LANGS[@]}"; do
        if up_to_date "lemmas/$lang.tsv" "$(lemma_source "$lang")" "$SIMPLEMMA_LICENCE" "$SIMPLEMMA_VERSION"; then
            log "lemmas/$lang.tsv up to date"
        else
            todo+=("$lang")
        fi
        manifest_add "lemmas/$lang.tsv" "$(lemma_source "$lang")" "$SIMPLEMMA_LICENCE" "$SIMPLEMMA_VERSION"
    done
    [ "${#todo[@]}" -gt 0 ] || return 0

    ensure_data_venv
    mkdir -p "$DATA_DIR/lemmas"
    log "exporting simplemma $SIMPLEMMA_VERSION dictionaries: ${todo[*]}"
    "$PY" - "$DATA_DIR/lemmas" "$SIMPLEMMA_VERSION" "${todo[@]}" <<'PY'
# simplemma ships one file per language, strategies/dictionaries/data/<lang>.plzma: lzma of a
# front-coded (sorted, prefix-shared) form->lemma byte stream since 2.0 (a pickled dict before).
# DefaultDictionaryFactory is its public loader of exactly those files; we dump the whole mapping
# rather than calling lemmatize() per word (which adds rules and guesses on top of the tables).
import importlib.metadata, os, sys
from simplemma.strategies.dictionaries import DefaultDictionaryFactory
from simplemma.strategies.dictionaries.dictionary_factory import DATA_FOLDER

outdir, want_version, langs = sys.argv[1], sys.argv[2], sys.argv[3:]
have = importlib.metadata.version("simplemma")
if have != want_version:
    sys.exit(f"simplemma {have} installed, {want_version} expected")
factory = DefaultDictionaryFactory(cache_max_size=1)
for lang in langs:
    if not (DATA_FOLDER / f"{lang}.plzma").is_file():
        sys.exit(f"simplemma {have} has no dictionary for {lang!r}")
    table = factory.get_dictionary(lang)
    out = os.path.join(outdir, f"{lang}.tsv")
    written = identity = skipped = 0
    with open(out + ".tmp", "w", encoding="utf-8", newline="\n") as f:
        for form, lemma in sorted(table.items()):
            if form == lemma:
                identity += 1
                continue
            if not form or not lemma or any(c in form + lemma for c in "\t\n\r"):
                skipped += 1
                continue
            f.write(f"{form}\t{lemma}\n")
            written += 1
    os.replace(out + ".tmp", out)
    print(f"  lemmas/{lang}.tsv: {written} pairs ({len(table)} forms, {identity} identity pairs "
          f"dropped{f', {skipped} unusable skipped' if skipped else ''})", file=sys.stderr)
PY
}

# --------------------------------------------------------------------------------------------

cmd_summary() {
    [ -f "$MANIFEST" ] || die "no $MANIFEST: run deploy/local/data.sh install"
    echo "Dictionary data ($DATA_DIR)"
    local file source _licence version path lines origin package
    while IFS=$'\t' read -r file source _licence version; do
        [ "$file" != file ] || continue
        case "$file" in /*) path="$file" ;; *) path="$DATA_DIR/$file" ;; esac
        if [ -d "$path" ]; then lines="$(find "$path" -maxdepth 1 -type f | wc -l) files"
        elif [ -f "$path" ]; then lines="$(wc -l <"$path") lines"
        else lines=MISSING; fi
        read -r origin package _ <<<"$source"
        printf '  %-40s %14s  %s %s %s\n' "$file" "$lines" "$origin" "$package" "$version"
    done <"$MANIFEST"
}

cmd_install() {
    mkdir -p "$DATA_DIR" "$CACHE_DIR"
    install_debian
    install_frequencies
    install_lemmas
    write_manifest
    cmd_summary
}

# --------------------------------------------------------------------------------------------
# seed: load the installed data into a running stack (the api/worker started by stack.sh up)

# LINGO_SEED_ADMIN: another lingo-admin command (deploy/containers.sh runs it in a container)
ADMIN="${LINGO_SEED_ADMIN:-$TARGET_DIR/debug/lingo-admin}"
SEED_FAILED=()

# admin LABEL ARGS...: one lingo-admin call; a failure is recorded and the next load still runs
admin() {
    local label="$1"
    shift
    log "lingo-admin $*"
    if ! (cd "$ROOT" && "$ADMIN" "$@"); then
        warn "failed: $label"
        SEED_FAILED+=("$label")
    fi
}

cmd_seed() {
    local build=1
    case "${1:-}" in
        --no-build) build=0 ;; # stack.sh up has just built every binary
        "") ;;
        *) die "usage: data.sh seed [--no-build]" ;;
    esac
    [ -f "$MANIFEST" ] || die "no data in $DATA_DIR: run deploy/local/data.sh install first"
    if [ -z "${LINGO_SEED_ADMIN:-}" ]; then
        [ -f "$DEV/env" ] || die "no .dev/env: start the stack first (deploy/local/stack.sh up)"
        # shellcheck disable=SC1091
        source "$DEV/env"
    fi
    if [ "$build" -eq 1 ]; then
        ensure_cargo_path
        log "cargo build --bin lingo-admin"
        (cd "$ROOT" && cargo build --bin lingo-admin)
    fi
    [ -x "$ADMIN" ] || die "$ADMIN not built (cargo build --bin lingo-admin)"
    # the dictionary commands are newer than migrate: say so plainly when this binary lacks them
    "$ADMIN" dictionary --help >/dev/null 2>&1 ||
        die "$ADMIN has no 'dictionary' subcommand (rebuild lingo-admin from a newer checkout)"

    local f lang
    shopt -s nullglob
    for f in "$DATA_DIR"/frequency/*.tsv; do
        lang="$(basename "$f" .tsv)"
        admin "frequencies $lang" dictionary load-frequencies --language "$lang" "$f"
    done
    for f in "$DATA_DIR"/lemmas/*.tsv; do
        lang="$(basename "$f" .tsv)"
        admin "lemmas $lang" dictionary load-lemmas --language "$lang" "$f"
    done
    shopt -u nullglob

    # imports enqueue worker jobs and return; they are idempotent, so seeding twice is harmless
    local pair name rest hw tr
    for pair in "${FREEDICT_PAIRS[@]}"; do
        name="${pair%%:*}" rest="${pair#*:}"
        hw="${rest%%:*}" tr="${rest#*:}"
        if [ -s "$DICTD_DIR/$name.index" ]; then
            admin "import $name" dictionary import --format dictd --source "$name" --licence "$FREEDICT_LICENCE" \
                --language "$hw" --translation-language "$tr" "$DICTD_DIR/$name.index"
        else
            warn "skipping $name: $DICTD_DIR/$name.index missing"
        fi
    done
    if missing_wordnet_files >/dev/null; then
        admin "import wordnet" dictionary import --format wordnet --source wordnet-3.0 --licence "$WORDNET_LICENCE" \
            --language en "$WORDNET_DIR"
    else
        warn "skipping WordNet: files missing in $WORDNET_DIR"
    fi

    if [ "${#SEED_FAILED[@]}" -gt 0 ]; then
        die "seeding failed for: ${SEED_FAILED[*]}"
    fi
    log "seeded; dictionary imports run in lingo-worker (deploy/local/stack.sh logs)"
}

usage() {
    sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
    local cmd="${1:-}"
    [ "$#" -eq 0 ] || shift
    case "$cmd" in
        install) cmd_install ;;
        seed) cmd_seed "$@" ;;
        summary) cmd_summary ;;
        -h|--help|help|"") usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
