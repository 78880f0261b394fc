#!/usr/bin/env bash
# Resident memory of the server phase by phase on the province-scale SQLite data set: after
# start-up (people index built), after two sign-ins, and after each load of run.sh (32
# clients, DURATION each). Prints the resident set and its high-water mark after each phase,
# with the load's figures.
#
#   bash bench/platform/memory.sh
#   PRE="env MIMALLOC_PURGE_DELAY=0" bash bench/platform/memory.sh   # try an allocator setting
#   DATA=/tmp/antoan-mem bash bench/platform/memory.sh                # reuse a generated set
#
# Needs: cargo, wrk, python3, curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/bench/out/platform
mkdir -p "$OUT"
DURATION=${DURATION:-6s}
PORT=18090
SECRET=ANTOANDEMOANTOANDEMOANTOANDEMO22
if [ -z "${ANTOAN_BIN:-}" ]; then
  cargo build --release -p antoan >/dev/null
fi
BIN=${ANTOAN_BIN:-$ROOT/target/release/antoan}
DATA=${DATA:-$(mktemp -d /tmp/antoan-mem-XXXX)}
url="sqlite://$DATA/antoan.db?mode=rwc"
if [ ! -f "$DATA/antoan.db" ]; then
  "$BIN" --data-dir "$DATA" --database "$url" demo --scale | tail -1
fi

# shellcheck disable=SC2086
ANTOAN_LOG=warn ${PRE:-} "$BIN" --data-dir "$DATA" --database "$url" serve --bind 127.0.0.1:$PORT \
  >"$OUT/memory-serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done

rss() {
  echo "$1 rss_mb=$(( $(ps -o rss= -p $pid) / 1024 )) peak_mb=$(( $(awk '/VmHWM/{print $2}' /proc/$pid/status) / 1024 ))"
}
login() { # username [totp] -> token
  local body
  if [ -n "${2:-}" ]; then body="{\"username\":\"$1\",\"password\":\"antoan-demo\",\"totp\":\"$2\"}"; else body="{\"username\":\"$1\",\"password\":\"antoan-demo\"}"; fi
  curl -sf -X POST -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$PORT/api/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

rss started
overseer=$(login congan.tinh "$(python3 bench/platform/totp.py $SECRET)")
officer=$(login canbo.antt)
rss signed_in
printf '%s\n' "/api/v1/people?q=nguyen%20van%20duc" "/api/v1/people?q=dang" "/api/v1/people?q=tran%20thi" \
  "/api/v1/people?q=hoang%20quoc%20viet" "/api/v1/people?q=phuong" "/api/v1/people?q=le%20minh" \
  "/api/v1/people?q=vu%20thanh%20tam" "/api/v1/people?q=ngo" >"$OUT/mem-search.txt"
printf '%s\n' "/api/v1/people?limit=50" "/api/v1/people?limit=50&status=working" >"$OUT/mem-list.txt"
printf '%s\n' "/" >"$OUT/mem-home.txt"
for phase in "search_province $overseer search" "search_office $officer search" \
  "list_province $overseer list" "home_province $overseer home" "home_office $officer home"; do
  set -- $phase
  TOKEN=$2 PATHS_FILE="$OUT/mem-$3.txt" wrk -t2 -c32 -d"$DURATION" -s bench/platform/load.lua \
    "http://127.0.0.1:$PORT" | grep '^RESULT' | sed "s/^/$1 /"
  rss "$1"
done
