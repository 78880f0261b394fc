#!/usr/bin/env bash
# Platform benchmark: generates the province-scale data set (2,000 organisations, 200,000
# people with accounts, a year of audit entries) on SQLite and on PostgreSQL, then measures with
# 32 concurrent clients: people search, the people list, and the home dashboard; and the
# server's peak memory. Client and server share this machine's cores, as they would on a
# one-box deployment; the numbers are therefore conservative.
#
#   bash bench/platform/run.sh            # both databases
#   DBS=sqlite bash bench/platform/run.sh  # one
#
# Needs: a release build (made here), wrk, python3, psql for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/bench/out/platform
mkdir -p "$OUT"
DBS=${DBS:-"sqlite postgres"}
DURATION=${DURATION:-20s}
CONNS=${CONNS:-32}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
SECRET=ANTOANDEMOANTOANDEMOANTOANDEMO22
PORT=18080

if [ -z "${ANTOAN_BIN:-}" ]; then
  cargo build --release -p antoan >/dev/null
fi
BIN=${ANTOAN_BIN:-$ROOT/target/release/antoan}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB"

login() { # username [totp] -> token
  local body
  if [ -n "${2:-}" ]; then body="{\"username\":\"$1\",\"password\":\"antoan-demo\",\"totp\":\"$2\"}"; else body="{\"username\":\"$1\",\"password\":\"antoan-demo\"}"; fi
  curl -sf -X POST -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$PORT/api/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

run_wrk() { # name token pathsfile
  local line
  line=$(TOKEN=$2 PATHS_FILE=$3 wrk -t2 -c"$CONNS" -d"$DURATION" -s bench/platform/load.lua "http://127.0.0.1:$PORT" | grep '^RESULT')
  echo "$1 $line" | tee -a "$OUT/results.txt"
}

for db in $DBS; do
  echo "== $db"
  data=$(mktemp -d /tmp/antoan-bench-XXXX)
  if [ "$db" = postgres ]; then
    name=antoan_bench
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
  # Search terms: common and rare family names, given names, full names, without diacritics.
  printf '%s\n' "/api/v1/people?q=nguyen%20van%20duc" "/api/v1/people?q=dang" "/api/v1/people?q=tran%20thi" \
    "/api/v1/people?q=hoang%20quoc%20viet" "/api/v1/people?q=phuong" "/api/v1/people?q=le%20minh" \
    "/api/v1/people?q=vu%20thanh%20tam" "/api/v1/people?q=ngo" >"$OUT/search.txt"
  printf '%s\n' "/api/v1/people?limit=50" "/api/v1/people?limit=50&status=working" >"$OUT/list.txt"
  printf '%s\n' "/" >"$OUT/home.txt"

  # Memory is sampled while the load runs; the peak resident set is reported.
  (peak=0; while kill -0 $pid 2>/dev/null; do r=$(ps -o rss= -p $pid 2>/dev/null || echo 0); [ "${r:-0}" -gt "$peak" ] && peak=$r && echo "$peak" >"$OUT/rss-$db"; sleep 0.2; done) &
  sampler=$!

  run_wrk "$db search_province" "$overseer" "$OUT/search.txt"
  run_wrk "$db search_office" "$officer" "$OUT/search.txt"
  run_wrk "$db list_province" "$overseer" "$OUT/list.txt"
  run_wrk "$db home_province" "$overseer" "$OUT/home.txt"
  run_wrk "$db home_office" "$officer" "$OUT/home.txt"

  kill $pid; wait $pid 2>/dev/null || true
  kill $sampler 2>/dev/null || true
  echo "$db peak_rss_mb=$(( $(cat "$OUT/rss-$db") / 1024 ))" | tee -a "$OUT/results.txt"
  rm -rf "$data"
done
