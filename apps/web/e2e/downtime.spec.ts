// Downtime classification end to end: a supervisor opens the downtime page of the seeded plant, sees the Pareto
// and the stops, gives two unclassified stops a reason in one go and splits one; a viewer sees the same page
// without the classification controls.
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { ZDowntimeIntervalList } from '@takt/contracts';

const screenshot = (name: string) => fileURLToPath(new URL(`./screenshots/${name}.png`, import.meta.url));

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
}

test('a supervisor classifies several stops at once and splits a stop', async ({ page }) => {
  await signIn(page, 'supervisor', 'takt-supervisor');
  const firstList = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/downtime-intervals');
  await page.getByRole('link', { name: 'Downtime' }).click();
  await expect(page.getByRole('heading', { name: 'Downtime', level: 1 })).toBeVisible();
  await firstList;

  // Seven days of the seeded history, only the stops still to classify.
  const weekList = page.waitForResponse((r) => new URL(r.url()).searchParams.get('hasReason') === 'false');
  await page.getByLabel('Range').selectOption('7d');
  await page.getByLabel('Only unclassified stops').check();
  const unclassified = ZDowntimeIntervalList.parse(await (await weekList).json()).items;
  const unplanned = unclassified.filter((stop) => stop.state === 'DOWN' || stop.state === 'IDLE').slice(0, 2);
  expect(unplanned).toHaveLength(2);
  await expect(page.getByRole('figure', { name: 'Downtime Pareto' })).toBeVisible();
  await page.screenshot({ path: screenshot('downtime') });

  const rows = page.locator('.data-table tbody tr');
  for (const stop of unplanned) {
    const index = unclassified.findIndex((s) => s.id === stop.id);
    await rows.nth(index).getByRole('checkbox').check();
  }
  const bar = page.getByRole('region', { name: 'Classify selected stops' });
  await expect(bar).toContainText('2 selected');
  const reasonSelect = bar.getByLabel('Reason');
  const firstReason = reasonSelect.locator('optgroup option').first();
  const reasonName = (await firstReason.textContent())?.replace(/ \(.*\)$/, '') ?? '';
  await reasonSelect.selectOption({ index: 1 });
  await bar.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot('downtime-classify') });
  const classified = page.waitForResponse((r) => r.url().endsWith('/api/v1/downtime-intervals/classify'));
  await bar.getByRole('button', { name: 'Classify 2 stops' }).click();
  expect((await classified).status()).toBe(200);

  // Classified stops leave the "only unclassified" list; without the filter they show their new reason.
  await page.getByLabel('Only unclassified stops').uncheck();
  const table = page.locator('.data-table');
  await expect(table.getByText(reasonName).first()).toBeVisible();

  // Split the longest stop on screen in two, giving the second part a reason.
  const splitRow = rows.filter({ has: page.getByRole('button', { name: 'Split…' }) }).first();
  await splitRow.getByRole('button', { name: 'Split…' }).click();
  const form = page.getByRole('form', { name: /Split stop of/ });
  await expect(form).toBeVisible();
  await form.getByLabel('Reason of the second part').selectOption({ index: 1 });
  await page.screenshot({ path: screenshot('downtime-split') });
  const split = page.waitForResponse((r) => /\/api\/v1\/downtime-intervals\/\d+\/split$/.test(r.url()));
  await form.getByRole('button', { name: 'Split stop' }).click();
  expect((await split).status()).toBe(200);
  await expect(form).toBeHidden();
});

test('a viewer sees stops and the Pareto but cannot classify', async ({ page }) => {
  await signIn(page, 'viewer', 'takt-viewer');
  await page.getByRole('link', { name: 'Downtime' }).click();
  // The seeded week always has stops; the last 24 hours of a weekend may have none.
  await page.getByLabel('Range').selectOption('7d');
  await expect(page.locator('.data-table tbody tr').first()).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /Select stop/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Split…' })).toHaveCount(0);
});
