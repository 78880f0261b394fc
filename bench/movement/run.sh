#!/usr/bin/env bash
# Movement models and news at province scale: generates the data set (`antoan demo --scale`:
# 2,000 organisations with 0–3 models each, their activities and reviews, and a few articles
# per organisation) on SQLite and on PostgreSQL, then measures with 32 concurrent clients:
#
#   models_province   the overseer's province page (/models/province), first page and the
#                     "not meeting it" filter, each with the province-wide summary
#   models_api        listMovementModels over the whole province, 50 a page
#   board_office      the notice board query of the home page (listNews, 5 latest) for the
#                     Office's security officer
#   board_province    the same for the overseer (every article of the province in reach)
#   home_office       the whole home page of the officer, notice board included
#
# Client and server share this machine's cores. Release build.
#
#   bash bench/movement/run.sh             # both databases
#   DBS=sqlite bash bench/movement/run.sh  # one
#
# Needs: wrk, python3, curl, psql for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/bench/out/movement
mkdir -p "$OUT"
: >"$OUT/results.txt"
DBS=${DBS:-"sqlite postgres"}
DURATION=${DURATION:-15s}
CONNS=${CONNS:-32}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
SECRET=ANTOANDEMOANTOANDEMOANTOANDEMO22
PORT=18081
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

if [ -z "${ANTOAN_BIN:-}" ]; then
  cargo build --release -p antoan >/dev/null
fi
BIN=${ANTOAN_BIN:-$TARGET/release/antoan}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB"

login() { # username [totp] -> token
  local body
  if [ -n "${2:-}" ]; then body="{\"username\":\"$1\",\"password\":\"antoan-demo\",\"totp\":\"$2\"}"; else body="{\"username\":\"$1\",\"password\":\"antoan-demo\"}"; fi
  curl -sf -X POST -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$PORT/api/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

run_wrk() { # name token pathsfile
  local line
  line=$(TOKEN=$2 PATHS_FILE=$3 wrk -t2 -c"$CONNS" -d"$DURATION" --timeout 10s -s bench/platform/load.lua "http://127.0.0.1:$PORT" | grep '^RESULT')
  echo "$1 $line" | tee -a "$OUT/results.txt"
}

for db in $DBS; do
  echo "== $db"
  data=$(mktemp -d /tmp/antoan-bench-XXXX)
  if [ "$db" = postgres ]; then
    name=antoan_bench_movement
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" -qc "CREATE DATABASE $name"
    url=${PG_ADMIN%/*}/$name
  else
    url="sqlite://$data/antoan.db?mode=rwc"
  fi
  start=$(date +%s.%N)
  "$BIN" --data-dir "$data" --database "$url" demo --scale | tail -1
  gen=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
  echo "$db generate_seconds=$gen" | tee -a "$OUT/results.txt"

  ANTOAN_LOG=warn "$BIN" --data-dir "$data" --database "$url" serve --bind 127.0.0.1:$PORT >"$OUT/serve-$db.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done

  overseer=$(login congan.tinh "$(python3 bench/platform/totp.py $SECRET)")
  officer=$(login canbo.antt)
  # What the pages show, for the report: the summary line of the province page.
  curl -sf -H "Authorization: Bearer $overseer" "http://127.0.0.1:$PORT/models/province" \
    | grep -o 'data-testid="holding">[^<]*' | sed "s/^/$db province check: /" | tee -a "$OUT/results.txt"
  printf '%s\n' "/models/province" "/models/province?gaps=1" >"$OUT/province.txt"
  printf '%s\n' "/api/v1/movement-models?limit=50" >"$OUT/models-api.txt"
  printf '%s\n' "/api/v1/news?limit=5" >"$OUT/board.txt"
  printf '%s\n' "/" >"$OUT/home.txt"

  run_wrk "$db models_province" "$overseer" "$OUT/province.txt"
  run_wrk "$db models_api" "$overseer" "$OUT/models-api.txt"
  run_wrk "$db board_office" "$officer" "$OUT/board.txt"
  run_wrk "$db board_province" "$overseer" "$OUT/board.txt"
  run_wrk "$db home_office" "$officer" "$OUT/home.txt"

  kill $pid; wait $pid 2>/dev/null || true
  if [ "$db" = postgres ]; then psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)"; fi
  rm -rf "$data"
done
