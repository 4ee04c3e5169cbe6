#!/usr/bin/env bash
# Start (or stop) the real Kelvin REST API 4.0.0 of ../shared/kelvin-real for the ucs-sync
# tests, configured as a Kelvin server used for syncs is: mapped_udm_properties.json maps
# ucsschoolPurgeTimestamp for users (the deletion date the lifecycle reads and writes).
#
#   UCS_SIM_BIN=target/debug/ucs-sim crates/ucs-sync/scripts/kelvin-real.sh [start|stop]
#
# env:
#   KELVIN_REAL_DIR   the harness (default /work/shared/kelvin-real)
#   KELVIN_REAL_RUN   run dir (default /tmp/kr-sync); it also holds a private KELVIN_REAL_HOME
#                     that links the harness's venv and sources and copies its config tree
# prints the harness's env lines; run the tests with
#   KELVIN_REAL_URL=$KELVIN_URL cargo test -p ucs-sync --test it kelvin_real
set -euo pipefail
HARNESS=${KELVIN_REAL_DIR:-/work/shared/kelvin-real}
RUN=${KELVIN_REAL_RUN:-/tmp/kr-sync}
SHARED_HOME=${SHARED_KELVIN_REAL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/ucs-kelvin-real}
HOME_DIR=$RUN/home
export KELVIN_REAL_RUN=$RUN KELVIN_REAL_HOME=$HOME_DIR

if [[ ${1:-start} == stop ]]; then
  exec bash "$HARNESS/start.sh" stop
fi

# the shared setup (venv, sources) once, then a private config tree beside links to it
KELVIN_REAL_HOME=$SHARED_HOME bash "$HARNESS/setup.sh"
mkdir -p "$HOME_DIR"
for part in venv kelvin-src .stamp; do
  [[ -e $HOME_DIR/$part ]] || ln -s "$SHARED_HOME/$part" "$HOME_DIR/$part"
done
rm -rf "$HOME_DIR/root"
cp -r "$SHARED_HOME/root" "$HOME_DIR/root"
sed -i "s|$SHARED_HOME/root|$HOME_DIR/root|g" "$HOME_DIR/root/var/lib/ucs-school-import/configs/kelvin.json"
cat >"$HOME_DIR/root/etc/ucsschool/kelvin/mapped_udm_properties.json" <<'JSON'
{"user": ["ucsschoolPurgeTimestamp"], "school": [], "school_class": [], "workgroup": []}
JSON
exec bash "$HARNESS/start.sh" start
