#!/usr/bin/env bash
# `npm test`: every check and test of the repo, on a machine with nothing but Node (and apt for the
# browser and the broker the fault tests kill):
#   1. finds Chromium for the browser tests (Debian's /usr/bin/chromium) and Mosquitto for the fault tests
#      (/usr/sbin/mosquitto), installing them with apt where this user may (root or sudo), else stops and
#      says what to install
#   2. builds (Prisma client, web app), type-checks and lints
#   3. runs vitest (unit + integration) and Playwright (in Chromium) against the test servers:
#      TEST_DATABASE_URL / TEST_MQTT_URL (default 127.0.0.1:5432 and :1883), or, where none answers,
#      an embedded PostgreSQL and MQTT broker started for the run (scripts/with-test-servers.ts)
#   4. prints one summary line: "Tests: N passed, M failed"
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "npm test: $*" >&2; exit 1; }

# Installs Debian's package $1 when $2 is missing, where this user may (root or sudo); else stops and says so.
require_debian_package() { # package, path, what for
  [ -x "$2" ] && return 0
  if ! command -v apt-get >/dev/null; then
    fail "$3 need $1 at $2 and this system has no apt-get: install $1 there (or link it)"
  fi
  if [ "$(id -u)" = 0 ]; then SUDO=""
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"
  else fail "$3 need $1: run 'sudo apt-get install $1' (this user may not install packages)"
  fi
  echo "Installing Debian's $1 for $3…"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$1" >/dev/null; } \
    || fail "could not install $1 with apt-get: run 'apt-get install $1' and try again"
}

require_debian_package chromium /usr/bin/chromium "the browser tests"
# The fault tests start Mosquitto processes of their own, to kill them (the embedded broker cannot stand in).
require_debian_package mosquitto /usr/sbin/mosquitto "the fault tests"

mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json

npm run build --silent || fail "build failed"
npm run typecheck --silent || fail "type check failed"
npm run lint --silent || fail "lint failed"

node --import tsx scripts/with-test-servers.ts bash -c '
  status=0
  npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=1
  (cd apps/web && npx playwright test) || status=1
  node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json || status=1
  exit $status
'
