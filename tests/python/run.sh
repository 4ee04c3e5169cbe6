#!/usr/bin/env bash
# The upstream Python clients against ucs-sim over TLS: kelvin-rest-api-client 2.6.0
# (kelvin_scenario.py) and udm-rest-client 1.4.0 (udm_scenario.py), each against a fresh
# emulator on a free loopback port. Exits non-zero when any step of any scenario fails.
#
#   tests/python/run.sh
#
# env:
#   UCS_SIM_BIN          ucs-sim binary to use
#                        (default: cargo build --locked -p ucs-sim --bin ucs-sim)
#   PYTHON               interpreter for the venv (default: python3.11, a pyenv 3.11, python3)
#   OPENAPI_CLIENT_UDM   the generated openapi-client-udm 1.0.2 sdist (default: found in
#                        shared/kelvin-real/kelvin-src/ next to the checkout or one level higher)
#   PYCLIENTS_SCENARIOS  which scenarios to run: "kelvin udm" (default), "kelvin" or "udm"
#   KELVIN_REAL_RUN      if set: also run the Kelvin scenario against the real Kelvin 4.0.0 of
#                        shared/kelvin-real (its start.sh with KELVIN_TLS=1 and this run dir)
#
# The venv lives in $CARGO_TARGET_DIR (default target/)/pyclients-venv/<key>, the key being a
# hash of requirements.txt, the sdist's sha256 and the Python version; it is reused while the
# key matches and rebuilt (from PyPI and the sdist) otherwise. Nothing else is cached.
set -euo pipefail
shopt -s inherit_errexit

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
SDIST_NAME=openapi-client-udm-1.0.2.tar.gz
SDIST_SHA256=58c6fd27b498cb64698edf91c8f71737b5b05be613dd434a46fdb3e214271174
SCENARIOS=${PYCLIENTS_SCENARIOS:-kelvin udm}
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1

log() { echo "pyclients: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
verdict() { if [[ $1 == 0 ]]; then echo passed; else echo FAILED; fi; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pyclients.XXXXXX")
SIM_PID=
REAL_STARTED=

cleanup() {
    stop_sim
    if [[ -n $REAL_STARTED ]]; then
        env KELVIN_REAL_RUN="$KELVIN_REAL_RUN" bash "$REAL_HARNESS/start.sh" stop || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

find_python() {
    if [[ -n ${PYTHON:-} ]]; then echo "$PYTHON"; return; fi
    if command -v python3.11 >/dev/null 2>&1; then command -v python3.11; return; fi
    local c
    for c in $(ls -d "$HOME"/.pyenv/versions/3.11*/bin/python3.11 2>/dev/null | sort -V -r); do
        [[ -x $c ]] && { echo "$c"; return; }
    done
    command -v python3 || die "no Python found (set PYTHON)"
}

find_sdist() {
    if [[ -n ${OPENAPI_CLIENT_UDM:-} ]]; then echo "$OPENAPI_CLIENT_UDM"; return; fi
    local c
    for c in "$REPO/../shared" "$REPO/../../shared"; do
        c=$c/kelvin-real/kelvin-src/$SDIST_NAME
        [[ -f $c ]] && { echo "$c"; return; }
    done
    die "$SDIST_NAME not found below ../shared/kelvin-real/kelvin-src/ (set OPENAPI_CLIENT_UDM)"
}

# Makes (or reuses) the venv; prints its python.
ensure_venv() {
    local python sdist version key root venv started
    python=$(find_python)
    sdist=$(find_sdist)
    echo "$SDIST_SHA256  $sdist" | sha256sum --check --quiet - >&2 \
        || die "$sdist does not have the pinned sha256 $SDIST_SHA256"
    version=$("$python" -c 'import sys; print(sys.version.split()[0])')
    key=$({ cat "$HERE/requirements.txt"; echo "$SDIST_SHA256 $version"; } | sha256sum | cut -c1-16)
    root=$TARGET/pyclients-venv
    venv=$root/$key
    if [[ -f $venv/.complete ]]; then
        log "venv $venv (reused; Python $version)"
        echo "$venv/bin/python"
        return
    fi
    started=$(now)
    log "making venv $venv with $python (Python $version)"
    rm -rf "$root"
    mkdir -p "$root"
    "$python" -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --no-deps --require-virtualenv \
        -r "$HERE/requirements.txt" >&2
    "$venv/bin/python" -m pip install --quiet --no-deps --no-build-isolation "$sdist" >&2
    "$venv/bin/python" -m pip check >&2 || die "the pinned packages do not fit together"
    touch "$venv/.complete"
    log "venv ready in $(since "$started")s"
    echo "$venv/bin/python"
}

ensure_sim_bin() {
    if [[ -n ${UCS_SIM_BIN:-} ]]; then
        [[ -x $UCS_SIM_BIN ]] || die "UCS_SIM_BIN=$UCS_SIM_BIN is not executable"
        echo "$UCS_SIM_BIN"
        return
    fi
    local started
    started=$(now)
    (cd "$REPO" && cargo build --locked -p ucs-sim --bin ucs-sim >&2)
    log "ucs-sim built in $(since "$started")s"
    echo "$TARGET/debug/ucs-sim"
}

# Starts a fresh emulator with TLS on a free loopback port; sets SIM_PORT and SIM_CA.
start_sim() {
    local dir=$WORK/sim-$1
    mkdir -p "$dir"
    SIM_CA=$dir/ca.pem
    "$SIM_BIN" --listen 127.0.0.1:0 --tls --ca-out "$SIM_CA" >"$dir/sim.log" 2>&1 &
    SIM_PID=$!
    for _ in $(seq 1 200); do
        grep -q '^  CA file:' "$dir/sim.log" && break
        kill -0 "$SIM_PID" 2>/dev/null || { cat "$dir/sim.log" >&2; die "ucs-sim exited"; }
        sleep 0.05
    done
    SIM_PORT=$(sed -n 's#^  base URL: *https://[^:/]*:\([0-9][0-9]*\).*#\1#p' "$dir/sim.log")
    [[ -n $SIM_PORT && -s $SIM_CA ]] || { cat "$dir/sim.log" >&2; die "ucs-sim did not come up"; }
    log "ucs-sim pid $SIM_PID on https://127.0.0.1:$SIM_PORT (CA $SIM_CA)"
}

stop_sim() {
    [[ -n $SIM_PID ]] || return 0
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
    SIM_PID=
}

run_kelvin() {
    "$PY" -B "$HERE/kelvin_scenario.py" --host "$1" --ca-file "$2"
}

run_udm() {
    "$PY" -B "$HERE/udm_scenario.py" --url "https://$1/univention/udm/" --ca-file "$2"
}

run_against_sim() {
    local name=$1 started
    started=$(now)
    start_sim "$name"
    local rc=0
    "run_$name" "127.0.0.1:$SIM_PORT" "$SIM_CA" || rc=$?
    stop_sim
    log "$name scenario against ucs-sim: $(verdict "$rc") in $(since "$started")s"
    return "$rc"
}

run_against_real_kelvin() {
    REAL_HARNESS=$(cd "$(dirname "$(find_sdist)")/.." && pwd)
    local started env_file=$WORK/real-kelvin.env rc=0
    started=$(now)
    env UCS_SIM_BIN="$SIM_BIN" KELVIN_TLS=1 KELVIN_REAL_RUN="$KELVIN_REAL_RUN" \
        bash "$REAL_HARNESS/start.sh" >"$env_file"
    REAL_STARTED=1
    local url ca
    url=$(sed -n 's#^KELVIN_URL=https://##p' "$env_file")
    ca=$(sed -n 's#^KELVIN_CA_FILE=##p' "$env_file")
    [[ -n $url && -n $ca ]] || die "the real Kelvin harness printed no https URL / CA file"
    run_kelvin "$url" "$ca" || rc=$?
    env KELVIN_REAL_RUN="$KELVIN_REAL_RUN" bash "$REAL_HARNESS/start.sh" stop
    REAL_STARTED=
    log "kelvin scenario against the real Kelvin 4.0.0: $(verdict "$rc") in $(since "$started")s"
    return "$rc"
}

main() {
    local started status=0 name
    started=$(now)
    SIM_BIN=$(ensure_sim_bin)
    PY=$(ensure_venv)
    for name in $SCENARIOS; do
        case $name in
            kelvin | udm) run_against_sim "$name" || status=1 ;;
            *) die "unknown scenario $name (PYCLIENTS_SCENARIOS: kelvin, udm)" ;;
        esac
    done
    if [[ -n ${KELVIN_REAL_RUN:-} ]]; then
        run_against_real_kelvin || status=1
    fi
    log "done in $(since "$started")s: $(verdict "$status")"
    return "$status"
}

main "$@"
