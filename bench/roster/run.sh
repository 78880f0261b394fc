#!/usr/bin/env bash
# Runs the roster solver on benchmark instances and writes a markdown table
# (instance, penalty, best known, gap, time to first feasible, feasible) to
# bench/out/ and stdout. Every roster is re-scored by the evaluator.
#
# Settings by environment: INSTANCES ("1 2 ... 16"), BUDGET (seconds, 60),
# THREADS (2), SEED (1), ANTOAN_BIN (product binary, else the crate example).
# Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/roster/common.sh
mkdir -p "$OUT_DIR/roster"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
table="$OUT_DIR/roster-${BUDGET}s-${THREADS}t-${stamp}.md"
{
  echo "# roster solver, ${BUDGET} s, ${THREADS} threads, seed ${SEED}"
  echo
  echo "Command: \`${SOLVE[*]} INSTANCE --seconds ${BUDGET} --threads ${THREADS} --seed ${SEED} --out FILE\`; machine: $(machine_line)"
  echo
  echo "| instance | penalty | best known | gap % | first feasible s | feasible |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
} > "$table"
sum_gap=0; n_gap=0
for i in $INSTANCES; do
  inst="$ROSTER_INSTANCES_DIR/Instance$i.txt"
  out="$OUT_DIR/roster/Instance$i.ours.${BUDGET}s.roster"
  log=$("${SOLVE[@]}" "$inst" --seconds "$BUDGET" --threads "$THREADS" --seed "$SEED" --out "$out" 2>&1 || true)
  first=$(echo "$log" | awk '/^first feasible/ {print $3}')
  if [ -f "$out" ] && score=$("${SCORE[@]}" "$inst" "$out" 2>&1); then
    penalty=$(echo "$score" | awk '/^penalty/ {print $2}')
    feasible=yes
  else
    penalty=$(echo "${score:-}" | awk '/^penalty/ {print $2}')
    feasible=no
  fi
  best=$(best_known "$i")
  gap=$(gap_percent "$penalty" "$best")
  if [ "$feasible" = yes ] && [ "$gap" != "-" ]; then
    sum_gap=$(awk -v s="$sum_gap" -v g="$gap" 'BEGIN { print s + g }'); n_gap=$((n_gap + 1))
  fi
  echo "| Instance$i | ${penalty:--} | $best | $gap | ${first:--} | $feasible |" >> "$table"
done
mean=$(awk -v s="$sum_gap" -v n="$n_gap" 'BEGIN { if (n) printf "%.2f", s / n; else print "-" }')
{
  echo
  echo "Mean gap over $n_gap feasible instances: ${mean} %. Load at end: $(cut -d' ' -f1-3 /proc/loadavg)."
} >> "$table"
cat "$table"
