#!/usr/bin/env bash
# Runs the CP-SAT peer (bench/roster/peer_cpsat.py, a direct OR-Tools model
# of FORMAT.md) on the same instances, budget and threads as run.sh, scores
# its rosters with OUR evaluator, and writes a comparison table to bench/out/.
# If a table from run.sh with the same budget and threads exists, its
# penalties are joined in (set OURS=path to choose one).
#
# The Python environment lives outside the repository (PEER_VENV,
# default /tmp/antoan-peer-venv) with pinned ortools and cpmpy.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/roster/common.sh
PEER_VENV=${PEER_VENV:-/tmp/antoan-peer-venv}
if [ ! -x "$PEER_VENV/bin/python" ]; then
  python3 -m venv "$PEER_VENV"
  "$PEER_VENV/bin/pip" install --quiet ortools==9.15.6755 cpmpy==1.1.1
fi
mkdir -p "$OUT_DIR/roster"
OURS=${OURS:-$(ls -t "$OUT_DIR"/roster-"${BUDGET}"s-"${THREADS}"t-*.md 2>/dev/null | head -1 || true)}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
table="$OUT_DIR/peer-${BUDGET}s-${THREADS}t-${stamp}.md"
{
  echo "# CP-SAT peer (OR-Tools 9.15.6755), ${BUDGET} s, ${THREADS} workers, seed ${SEED}"
  echo
  echo "Rosters scored by our evaluator; ours from: ${OURS:-none}; machine: $(machine_line)"
  echo
  echo "| instance | best known | CP-SAT status | CP-SAT penalty | CP-SAT gap % | CP-SAT first feasible s | ours | ours gap % |"
  echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
} > "$table"
for i in $INSTANCES; do
  inst="$ROSTER_INSTANCES_DIR/Instance$i.txt"
  out="$OUT_DIR/roster/Instance$i.cpsat.${BUDGET}s.roster"
  rm -f "$out"
  json=$("$PEER_VENV/bin/python" bench/roster/peer_cpsat.py "$inst" --seconds "$BUDGET" \
    --threads "$THREADS" --seed "$SEED" --out "$out" 2>/dev/null || echo '{}')
  status=$(echo "$json" | sed -n 's/.*"status": "\([A-Z_]*\)".*/\1/p')
  first=$(echo "$json" | sed -n 's/.*"first_feasible": \([0-9.]*\).*/\1/p')
  objective=$(echo "$json" | sed -n 's/.*"objective": \([0-9]*\).*/\1/p')
  penalty="-"
  if [ -f "$out" ]; then
    if score=$("${SCORE[@]}" "$inst" "$out" 2>&1); then
      penalty=$(echo "$score" | awk '/^penalty/ {print $2}')
      if [ "$penalty" != "$objective" ]; then penalty="$penalty (CP-SAT says $objective)"; fi
    else
      penalty="infeasible by our evaluator"
    fi
  fi
  best=$(best_known "$i")
  ours="-"
  if [ -n "$OURS" ]; then
    ours=$(awk -F'|' -v n="Instance$i" '$2 ~ n" *$" {gsub(/ /, "", $3); print $3}' "$OURS")
  fi
  echo "| Instance$i | $best | ${status:-none} | $penalty | $(gap_percent "${penalty%% *}" "$best") | ${first:--} | ${ours:--} | $(gap_percent "$ours" "$best") |" >> "$table"
done
echo >> "$table"
echo "Load at end: $(cut -d' ' -f1-3 /proc/loadavg)." >> "$table"
cat "$table"
