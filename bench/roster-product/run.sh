#!/usr/bin/env bash
# Product-size duty rosters: the demo Office's 80 people over the 21-day Tết window, three
# shift types (day, night, leader on call), cover by skill (self-defence members, a driver, a
# leader), fairness terms; built from a fresh SQLite database exactly as the roster page
# builds it (crates/store/examples/roster_product.rs).
#
# Measures
#   - solving with the product's budget (2 s, 2 threads), one run per seed: time to the first
#     roster that breaks no rule, and the penalty left at the end (target: no broken rule in
#     under 2 s);
#   - re-checking one hand edit (target: under 5 ms), median / p95 / max over many edits:
#       engine    the incremental checker's price of the edit,
#       check     the editor's check once the roster is in memory (price, apply, full
#                 evaluation for the reasons),
#       endpoint  the same plus reading the roster and the fairness history from the database
#                 and building the model, as POST /rosters/{id}/check does per request.
#
#   bash bench/roster-product/run.sh            # 10 seeds, 5000 edits
#   SEEDS=3 EDITS=500 bash bench/roster-product/run.sh
#
# Release build, built with -j 1 so that it shares the machine politely; run it when nothing
# else is compiling or benchmarking, or the solver's 2 threads measure the neighbours.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/bench/out/roster-product
mkdir -p "$OUT"
SEEDS=${SEEDS:-10}
EDITS=${EDITS:-5000}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

cargo build --release -j 1 -p store --example roster_product >/dev/null
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "# cargo run --release -p store --example roster_product -- $SEEDS $EDITS"
  "$TARGET/release/examples/roster_product" "$SEEDS" "$EDITS"
} | tee "$OUT/results.txt"
