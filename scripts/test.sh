#!/usr/bin/env bash
# `npm test`: every check and test of the repo, on a fresh machine of this kind.
#   1. installs Debian's Chromium (browser tests) and Mosquitto (fault tests) when they are missing
#   2. checks that PostgreSQL (127.0.0.1:5432) and Mosquitto (127.0.0.1:1883) answer
#   3. builds (Prisma client, web app), type-checks and lints
#   4. runs vitest (unit + integration) and Playwright (in Chromium)
#   5. prints one summary line: "Tests: N passed, M failed"
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "npm test: $*" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_install() { # package, what for
  echo "Installing Debian's $1 for $2…"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$1" >/dev/null; } \
    || fail "could not install $1 with apt-get (needed for $2): install it yourself, e.g. apt-get install $1"
}
[ -x /usr/bin/chromium ] || apt_install chromium "the browser tests"
# The fault tests start Mosquitto processes of their own (and kill them); they are skipped without the binary.
[ -x /usr/sbin/mosquitto ] || apt_install mosquitto "the fault tests"

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
