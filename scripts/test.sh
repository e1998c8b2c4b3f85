#!/usr/bin/env bash
# `npm test`: every check and test of the repo, on a fresh machine of this kind.
#   1. installs Debian's Chromium for the browser tests when it is missing
#   2. checks that PostgreSQL (127.0.0.1:5432) and Mosquitto (127.0.0.1:1883) answer
#   3. builds (Prisma client, web app), type-checks and lints
#   4. runs vitest (unit + integration) and Playwright (in Chromium)
#   5. prints one summary line: "Tests: N passed, M failed"
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "npm test: $*" >&2; exit 1; }

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests…"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; } \
    || fail "could not install chromium with apt-get"
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_open 5432 || fail "PostgreSQL is not answering on 127.0.0.1:5432 (set TEST_DATABASE_URL to use another server)"
port_open 1883 || fail "no MQTT broker on 127.0.0.1:1883 (start Mosquitto: mosquitto -d)"

mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json

npm run build --silent || fail "build failed"
npm run typecheck --silent || fail "type check failed"
npm run lint --silent || fail "lint failed"

status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=1
(cd apps/web && npx playwright test) || status=1

node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json || status=1
exit $status
