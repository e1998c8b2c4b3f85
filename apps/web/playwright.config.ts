// Playwright end-to-end tests of the SPA against the real API on a freshly seeded database
// (scripts/e2e-server.ts, run from the repo root). Debian's Chromium, because browsers cannot be
// downloaded here; `npm run build -w @takt/web` first, the server serves apps/web/dist as it is.
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const baseURL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3100').replace(/\/+$/, '');
const isCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  // One server with one seeded database and a per-account sign-in limiter: tests run one at a time so
  // that their sessions and failed sign-ins never interleave.
  workers: 1,
  fullyParallel: false,
  forbidOnly: isCI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: `${repoRoot}test-results/playwright.json` }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'node --import tsx scripts/e2e-server.ts',
    cwd: repoRoot,
    url: `${baseURL}/api/v1/health`,
    env: { E2E_PORT: new URL(baseURL).port || '80' },
    reuseExistingServer: !isCI,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
