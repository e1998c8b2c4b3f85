// The plant overview end to end: the seeded plant's machines appear as tiles grouped by line, in the
// states the database holds, and the page keeps itself current from the API.
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ZMachineStatusResponse } from '@takt/contracts';

test('the overview shows a tile per seeded machine, grouped by line, with its state', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('viewer');
  await page.getByLabel('Password').fill('takt-viewer');
  const statusResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/machines/status');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const statuses = ZMachineStatusResponse.parse(await (await statusResponse).json());

  expect(statuses.machines.length).toBeGreaterThanOrEqual(24);
  const tiles = page.locator('.machine-tile');
  await expect(tiles).toHaveCount(statuses.machines.length);
  const lineCount = new Set(statuses.machines.map((m) => m.line.id)).size;
  await expect(page.locator('.overview-line')).toHaveCount(lineCount);

  // Every machine of the seeded plant has a state, shown in words on its tile.
  const first = statuses.machines[0]!;
  const firstTile = tiles.filter({ hasText: first.name }).first();
  await expect(firstTile).toContainText(/Producing|Idle|Down|Changeover|Planned stop|No order|Offline/);
  await page.screenshot({
    path: fileURLToPath(new URL('./screenshots/overview.png', import.meta.url)),
    fullPage: true,
  });
});
