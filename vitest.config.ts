// One vitest run over every workspace: unit tests (*.test.ts) and integration tests (*.int.test.ts)
// that talk to the PostgreSQL and Mosquitto of this machine. Playwright specs (apps/web/e2e) are not here.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{apps,packages,prisma,scripts,deploy,bench}/**/*.test.ts', '*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'apps/web/e2e/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: integration tests each create their own database; more workers only thrash.
    maxWorkers: 2,
  },
});
