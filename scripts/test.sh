#!/usr/bin/env bash
# `npm test`: every check and test of the repo, on a machine with nothing but Node (and apt for the
# browser):
#   1. finds Chromium for the browser tests (Debian's /usr/bin/chromium), installing it with apt
#      where this user may (root or sudo), else stops and says what to install
#   2. builds (Prisma client, web app), type-checks and lints
#   3. runs vitest (unit + integration) and Playwright (in Chromium) against the test servers:
#      TEST_DATABASE_URL / TEST_MQTT_URL (default 127.0.0.1:5432 and :1883), or, where none answers,
#      an embedded PostgreSQL and MQTT broker started for the run (scripts/with-test-servers.ts)
#   4. prints one summary line: "Tests: N passed, M failed"
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "npm test: $*" >&2; exit 1; }

CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ]; then
  if ! command -v apt-get >/dev/null; then
    fail "the browser tests need Chromium at $CHROMIUM and this system has no apt-get: install Chromium there (or link it)"
  fi
  if [ "$(id -u)" = 0 ]; then SUDO=""
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"
  else fail "the browser tests need Chromium: run 'sudo apt-get install chromium' (this user may not install packages)"
  fi
  echo "Installing Debian's chromium for the browser tests…"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; } \
    || fail "could not install chromium with apt-get: run 'apt-get install chromium' and try again"
fi

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
