#!/usr/bin/env bash
# Commitment campaigns at province scale, on SQLite and on PostgreSQL.
#
# 1. Coverage: generates the data set (`antoan demo --scale`: the demo plus 2,000
#    organisations, 200,000 people and 100 commitment campaigns over five years with about
#    1.1 million signatures), starts the release server and measures with wrk, 4 concurrent
#    clients for DURATION each, bearer tokens:
#      - getCampaignCoverage of this year's province-wide campaign, as the overseer;
#      - that campaign's coverage page (HTML, split by organisation), as the overseer;
#      - the province overview page (every organisation side by side), as the overseer;
#      - the Office's campaign page and getCampaignCoverage, as its security officer.
# 2. Signing: `bench_signing` in crates/store/tests/campaign_signing.rs generates the same data set,
#    launches a province-wide campaign and has 16 clients sign for 20,000 people, each person
#    from two devices at once; it prints the sustained rate and checks that every signature
#    is stored once and counted once in the rollup. The password check of a real signature
#    (argon2, deliberately slow) is not part of this figure; see RESULTS-commitments.md. The
#    test runs in the dev profile, as the registers benchmark does: the time is spent in the
#    database, and a release build of the test adds minutes of compiling for nothing.
#
#   bash bench/commitments/run.sh             # both databases
#   DBS=sqlite bash bench/commitments/run.sh  # one
#
# Needs: cargo, wrk, python3, curl, psql for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/bench/out/commitments
mkdir -p "$OUT"
: >"$OUT/results.txt"
DBS=${DBS:-"sqlite postgres"}
DURATION=${DURATION:-15s}
CONNS=${CONNS:-4}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
SECRET=ANTOANDEMOANTOANDEMOANTOANDEMO22
PORT=18081
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

if [ -z "${ANTOAN_BIN:-}" ]; then
  cargo build --release -p antoan >/dev/null
fi
BIN=${ANTOAN_BIN:-$TARGET/release/antoan}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB" | tee -a "$OUT/results.txt"

api() { # token path
  curl -sf -H "Authorization: Bearer $1" "http://127.0.0.1:$PORT$2"
}

login() { # username [totp] -> token
  local body
  if [ -n "${2:-}" ]; then body="{\"username\":\"$1\",\"password\":\"antoan-demo\",\"totp\":\"$2\"}"; else body="{\"username\":\"$1\",\"password\":\"antoan-demo\"}"; fi
  curl -sf -X POST -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$PORT/api/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

run_wrk() { # name token path
  local line
  printf '%s\n' "$3" >"$OUT/paths.txt"
  line=$(TOKEN=$2 PATHS_FILE=$OUT/paths.txt wrk -t2 -c"$CONNS" -d"$DURATION" -s bench/platform/load.lua "http://127.0.0.1:$PORT" | grep '^RESULT')
  echo "$db $1 $line" | tee -a "$OUT/results.txt"
}

for db in $DBS; do
  echo "== $db"
  data=$(mktemp -d /tmp/antoan-bench-XXXX)
  if [ "$db" = postgres ]; then
    name=antoan_bench_cmt
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" -qc "CREATE DATABASE $name"
    url=${PG_ADMIN%/*}/$name
  else
    url="sqlite://$data/antoan.db?mode=rwc"
  fi
  start=$(date +%s.%N)
  "$BIN" --data-dir "$data" --database "$url" demo --scale | tail -1 | cut -c1-400
  gen=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
  echo "$db generate_seconds=$gen" | tee -a "$OUT/results.txt"

  ANTOAN_LOG=warn "$BIN" --data-dir "$data" --database "$url" serve --bind 127.0.0.1:$PORT >"$OUT/serve-$db.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done

  overseer=$(login congan.tinh "$(python3 bench/platform/totp.py $SECRET)")
  officer=$(login canbo.antt)
  year=$(date +%Y)
  # This year's province-wide campaign: launched by the province (the unit without a parent).
  province_campaign=$(api "$overseer" "/api/v1/commitment-campaigns?year=$year" | python3 -c '
import json, sys
cs = json.load(sys.stdin)
print(min((c for c in cs if c["title"].startswith("Ký cam kết thực hiện phong trào") and c["owner_name"].startswith("Tỉnh")), key=lambda c: c["owner_unit_id"])["id"])')
  office_campaign=$(api "$officer" "/api/v1/commitment-campaigns?year=$year" | python3 -c '
import json, sys
cs = json.load(sys.stdin)
print([c for c in cs if c["owner_name"].startswith("Văn phòng Tỉnh ủy") and c["status"] == "open"][0]["id"])')
  api "$overseer" "/api/v1/commitment-campaigns/$province_campaign/coverage" | python3 -c '
import json, sys
c = json.load(sys.stdin)
print("province campaign: %s/%s (%s%%), %d organisations" % (c["done"], c["required"], c["percent"], len(c["units"])))' | tee -a "$OUT/results.txt"

  run_wrk province_coverage_api "$overseer" "/api/v1/commitment-campaigns/$province_campaign/coverage"
  run_wrk province_coverage_page "$overseer" "/commitments/$province_campaign"
  run_wrk province_overview_page "$overseer" "/commitments/province?year=$year"
  run_wrk office_coverage_page "$officer" "/commitments/$office_campaign"
  run_wrk office_coverage_api "$officer" "/api/v1/commitment-campaigns/$office_campaign/coverage"

  kill $pid; wait $pid 2>/dev/null || true
  if [ "$db" = postgres ]; then psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)"; fi
  rm -rf "$data"

  if [ "$db" = postgres ]; then export ANTOAN_TEST_DATABASE_URL=$PG_ADMIN; else unset ANTOAN_TEST_DATABASE_URL; fi
  cargo test -p store --test campaign_signing bench_signing -- --ignored --nocapture 2>&1 \
    | grep -E '^(generated|BENCH)' | sed "s/^/$db /" | tee -a "$OUT/results.txt"
done
