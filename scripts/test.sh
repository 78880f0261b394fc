#!/usr/bin/env bash
# The project's one test command: the Rust test suites on SQLite, the storage and web suites
# again on PostgreSQL, and the browser tests against a freshly built server on SQLite and, when
# PostgreSQL is there, on PostgreSQL too.
#
# Without CI=true, a part whose tools are missing (no PostgreSQL answering, no Chromium or node)
# is skipped with a note. With CI=true every part is required and a missing tool fails the run.
#
# Environment:
#   ANTOAN_TEST_DATABASE_URL  PostgreSQL server for the second pass
#                             (default: postgres://postgres@127.0.0.1:5432/postgres when it answers)
#   ANTOAN_BIN                server binary for the browser tests (default: build target/debug/antoan)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
CI=${CI:-false}

heading() {
  printf '\n==== %s ====\n\n' "$*"
}

# In CI a missing tool is a broken machine, not a reason to test less.
missing() {
  if [ "$CI" = "true" ]; then
    echo "error: $* (required when CI=true)" >&2
    exit 1
  fi
  echo "skipped: $*"
}

heading "Rust tests on SQLite (cargo test --workspace)"
# The SQLite pass must not pick up a PostgreSQL URL from the caller's environment.
env -u ANTOAN_TEST_DATABASE_URL cargo test --workspace

heading "Storage and web tests on PostgreSQL"
pg_url=""
if [ -n "${ANTOAN_TEST_DATABASE_URL:-}" ]; then
  pg_url=$ANTOAN_TEST_DATABASE_URL
elif command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_url=postgres://postgres@127.0.0.1:5432/postgres
fi
if [ -n "$pg_url" ]; then
  # The suites create and drop a database of their own for each test.
  echo "PostgreSQL: $(printf '%s' "$pg_url" | sed -E 's#//([^:@/]+):[^@/]*@#//\1:***@#')"
  ANTOAN_TEST_DATABASE_URL=$pg_url cargo test -p store -p web -p antoan
else
  missing "no PostgreSQL answers at 127.0.0.1:5432 and ANTOAN_TEST_DATABASE_URL is not set"
fi

heading "Browser tests (e2e/)"
chromium_bin=${E2E_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium_bin" ]; then
  missing "no Chromium at $chromium_bin (apt-get install chromium)"
elif ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing "node and npm are not installed"
else
  if [ -z "${ANTOAN_BIN:-}" ]; then
    cargo build -p antoan
    export ANTOAN_BIN=$ROOT/target/debug/antoan
  fi
  cd "$ROOT/e2e"
  # npm ci wipes and reinstalls node_modules, so only run it when the lock file changed since
  # the last install (npm writes its own copy of the lock into node_modules).
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
  npm test
  if [ -n "$pg_url" ]; then
    heading "Browser tests on PostgreSQL"
    # The same pages over the other database: searching without diacritics, in particular,
    # takes a different path in SQL there. Each server gets a database of its own.
    E2E_DATABASE_URL=$pg_url npm test
  fi
fi
