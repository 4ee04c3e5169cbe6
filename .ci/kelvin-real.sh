#!/usr/bin/env bash
# CI: the facade, the emulator and the sync against the REAL Kelvin REST API 4.0.0: the
# harness ../shared/kelvin-real runs the upstream server code over this tree's ucs-sim UDM
# API, with none of its emulator workarounds (KELVIN_REAL_WORKAROUNDS=none).
#
# Two instances of the harness, each with its own ucs-sim:
#   fresh  a Kelvin as installed (no mapped UDM properties): the emulator's differential
#          test (it compares with an emulator that maps none), then the facade's
#          end-to-end suite;
#   sync   mapped_udm_properties.json maps ucsschoolPurgeTimestamp, as a Kelvin used for
#          syncs is set up (crates/ucs-sync/scripts/kelvin-real.sh): the sync scenario.
# Each suite must really run against its harness: a test that says "skipped:" fails the
# run, and so does a suite whose real-server tests did not all pass.
#
# env: KELVIN_REAL_DIR   the harness (default: ../shared/kelvin-real beside the repository)
#      KELVIN_REAL_HOME  the harness's work dir (setup.sh's default: ~/.cache/ucs-kelvin-real)
# Run dirs, logs and each suite's output: target/kelvin-real/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HARNESS=$(cd "${KELVIN_REAL_DIR:-$ROOT/../shared/kelvin-real}" && pwd)
RUNS=$ROOT/target/kelvin-real
export CI=true CARGO_TERM_COLOR=never KELVIN_REAL_WORKAROUNDS=none
export UCS_SIM_BIN=$ROOT/target/debug/ucs-sim
export KELVIN_REAL_HOME=${KELVIN_REAL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/ucs-kelvin-real}

began=$SECONDS
timings=()
timed() { # timed LABEL COMMAND...: runs it, notes its seconds
  local label=$1 start=$SECONDS
  shift
  echo "== $label"
  "$@"
  timings+=("$(printf '%5ds  %s' $((SECONDS - start)) "$label")")
}

start_fresh() { KELVIN_REAL_RUN=$RUNS/fresh bash "$HARNESS/start.sh" start >"$RUNS/fresh.env"; }
start_sync() {
  KELVIN_REAL_DIR=$HARNESS KELVIN_REAL_RUN=$RUNS/sync SHARED_KELVIN_REAL_HOME=$KELVIN_REAL_HOME \
    bash crates/ucs-sync/scripts/kelvin-real.sh start >"$RUNS/sync.env"
}
stop_all() {
  KELVIN_REAL_RUN=$RUNS/fresh bash "$HARNESS/start.sh" stop || true
  KELVIN_REAL_DIR=$HARNESS KELVIN_REAL_RUN=$RUNS/sync bash crates/ucs-sync/scripts/kelvin-real.sh stop || true
}

# value NAME ENVFILE: a line NAME=... that start.sh printed ("" when absent)
value() { sed -n "s/^$1=//p" "$2" | tail -n 1; }

# with_harness ENVFILE COMMAND...: COMMAND with the KELVIN_REAL_* variables of that harness
with_harness() {
  local file=$1 url
  shift
  url=$(value KELVIN_URL "$file")
  [[ -n $url ]] || { echo "no KELVIN_URL in $file" >&2; return 1; }
  env KELVIN_REAL_URL="$url" KELVIN_REAL_USER="$(value KELVIN_USER "$file")" \
    KELVIN_REAL_PASSWORD="$(value KELVIN_PASSWORD "$file")" \
    KELVIN_REAL_CA_FILE="$(value KELVIN_CA_FILE "$file")" "$@"
}

# suite NAME EXPECTED ENVFILE CARGO-ARGS...: runs the tests (the output of passed ones shown
# too), keeps their output, and checks that nothing was skipped and that tests named like
# EXPECTED passed
suite() {
  local name=$1 expected=$2 file=$3 out=$RUNS/$1.out passed
  shift 3
  with_harness "$file" cargo test "$@" -- --show-output 2>&1 | tee "$out"
  if grep -n 'skipped:' "$out"; then
    echo "FAIL: $name skipped tests against the harness" >&2
    return 1
  fi
  passed=$(grep -cE "$expected \.\.\. ok$" "$out" || true)
  echo "$name: $passed test(s) against the harness passed"
  ((passed > 0)) || { echo "FAIL: $name ran no test against the harness" >&2; return 1; }
}

mkdir -p "$RUNS"
trap stop_all EXIT
timed "harness setup" bash "$HARNESS/setup.sh"
timed "build ucs-sim" cargo build -p ucs-sim --bin ucs-sim
timed "start the fresh harness" start_fresh
timed "start the sync harness" start_sync
timed "ucs-sim: kelvin_differential" suite differential 'kelvin_differential::[a-z_]+' \
  "$RUNS/fresh.env" -p ucs-sim --test it kelvin_differential
timed "ucs-tests: kelvin_e2e" suite e2e 'kelvin_e2e::[a-z0-9_]+::real_kelvin' \
  "$RUNS/fresh.env" -p ucs-tests --test it kelvin_e2e
timed "ucs-sync: kelvin_real" suite sync 'kelvin_real::[a-z_]+' \
  "$RUNS/sync.env" -p ucs-sync --test it kelvin_real

# the harnesses' own logs show they were asked
for h in fresh sync; do
  echo "$h harness: $(grep -c '^INFO: .*"[A-Z]* /ucsschool/kelvin/' "$RUNS/$h/kelvin.log" || true) Kelvin requests served"
done
echo "== timings"
printf '%s\n' "${timings[@]}"
printf '%5ds  total\n' $((SECONDS - began))
