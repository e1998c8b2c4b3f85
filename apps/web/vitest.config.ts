// Unit tests of the SPA's pure pieces. Node environment on purpose: nothing here needs a DOM, and the
// browser behaviour is covered by the Playwright suite in e2e/ (which this config must not pick up).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
