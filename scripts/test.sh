#!/usr/bin/env bash
# The whole suite: lint and types, then pytest on SQLite, then on PostgreSQL, with the
# browser tests in headless Chromium. Says plainly what it could not run; with CI=true
# (or WAYPOINT_REQUIRE_ALL=1) anything it could not run is a failure, never a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
REQUIRE_ALL=0
[[ "${CI:-}" == "true" || "${WAYPOINT_REQUIRE_ALL:-0}" == "1" ]] && REQUIRE_ALL=1
missing=()
status=0

say() { printf '\n== %s\n' "$*"; }

# --- Chromium (Debian's package) and axe-core (npm) for the browser tests -----------
CHROMIUM=${WAYPOINT_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x "$CHROMIUM" && $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  say "Installing Debian's chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "apt-get could not install chromium"
fi
# WeasyPrint (letters as PDF) needs Pango from Debian.
if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  say "Installing Pango for PDF letters"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null) || echo "apt-get could not install Pango"
fi
if [[ ! -f node_modules/axe-core/axe.min.js ]] && command -v npm >/dev/null; then
  say "Installing axe-core from npm"
  npm ci --no-audit --no-fund --silent || echo "npm could not install axe-core"
fi
browser_args=()
if [[ -x "$CHROMIUM" && -f node_modules/axe-core/axe.min.js ]]; then
  export WAYPOINT_CHROMIUM="$CHROMIUM"
else
  echo "!! Browser tests NOT RUN: need $CHROMIUM (apt-get install chromium) and node_modules/axe-core (npm ci)."
  missing+=("browser")
  browser_args=(-m "not browser")
fi

# --- Lint and types ----------------------------------------------------------------
say "ruff and mypy"
$BIN/ruff check waypoint tests benchmarks || status=1
$BIN/ruff format --check waypoint tests benchmarks || status=1
$BIN/mypy waypoint || status=1

# --- SQLite ------------------------------------------------------------------------
say "pytest on SQLite"
env -u DATABASE_URL $BIN/python -m pytest -n 2 -p no:cacheprovider "${browser_args[@]}" "$@" || status=1

# --- PostgreSQL --------------------------------------------------------------------
PG_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/waypoint}
if $BIN/python - "$PG_URL" <<'PY' 2>/dev/null
import sys, psycopg
url = sys.argv[1].replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres"
psycopg.connect(url, connect_timeout=3).close()
PY
then
  say "pytest on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" $BIN/python -m pytest -n 2 -p no:cacheprovider "${browser_args[@]}" "$@" || status=1
else
  echo "!! PostgreSQL tests NOT RUN: no server answered at $PG_URL (set DATABASE_URL or start PostgreSQL)."
  missing+=("postgresql")
fi

if (( ${#missing[@]} )); then
  echo "Not run: ${missing[*]}."
  if (( REQUIRE_ALL )); then
    echo "CI requires both databases and the browser: failing."
    status=1
  fi
fi
exit $status
