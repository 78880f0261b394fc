# Shared settings of the roster bench scripts; sourced, not run.
# Instances default to the Curtois-Qu files shipped in shared/.
ROSTER_INSTANCES_DIR=${ROSTER_INSTANCES_DIR:-/work/shared/bench/roster/instances}
INSTANCES=${INSTANCES:-"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"}
BUDGET=${BUDGET:-60}
THREADS=${THREADS:-2}
SEED=${SEED:-1}
OUT_DIR=${OUT_DIR:-bench/out}

# Published best known penalties (shared/bench/roster/BEST_KNOWN.md).
best_known() {
  case "$1" in
    1) echo 607 ;; 2) echo 828 ;; 3) echo 1001 ;; 4) echo 1716 ;; 5) echo 1143 ;;
    6) echo 1950 ;; 7) echo 1056 ;; 8) echo 1300 ;; 9) echo 439 ;; 10) echo 4631 ;;
    11) echo 3443 ;; 12) echo 4040 ;; 13) echo 1348 ;; 14) echo 1278 ;; 15) echo 3831 ;;
    16) echo 3225 ;; 17) echo 5746 ;; 18) echo 4459 ;; 19) echo 3149 ;; 20) echo 4769 ;;
    21) echo 21133 ;; 22) echo 30244 ;; 23) echo 17428 ;; 24) echo 42463 ;;
    *) echo "" ;;
  esac
}

# The solver command: the product binary if present, else the crate's example.
ANTOAN_BIN=${ANTOAN_BIN:-target/release/antoan}
EXAMPLE_BIN=${EXAMPLE_BIN:-${CARGO_TARGET_DIR:-target}/release/examples/solve}
if [ -x "$ANTOAN_BIN" ]; then
  SOLVE=("$ANTOAN_BIN" roster solve)
  SCORE=("$ANTOAN_BIN" roster score)
else
  if [ ! -x "$EXAMPLE_BIN" ]; then
    cargo build --quiet --release -p roster --examples
  fi
  SOLVE=("$EXAMPLE_BIN" solve)
  SCORE=("$EXAMPLE_BIN" score)
fi

# gap_percent PENALTY BEST -> "x.xx"
gap_percent() {
  awk -v p="$1" -v b="$2" 'BEGIN { if (b == "" || p == "" || p !~ /^[0-9]+$/) print "-"; else printf "%.2f", (p - b) * 100 / b }'
}

machine_line() {
  echo "$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
