// Work orders end to end against the seeded demo plant: a supervisor creates an order (the form checks it first),
// releases it, dispatches it to a line, starts it (when the line is busy, the refusal names the order holding it and
// the supervisor completes that one first), pauses it with a note, resumes it, corrects its counts and completes it.
// A viewer watching the same order in a second browser sees each change arrive over the live stream without a
// reload, and has no write controls. Order numbers are unique per run, so the spec can run again on the same data.
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { listOf, ZLine, ZWorkOrder, type TWorkOrder } from '@takt/contracts';

const screenshot = (name: string) => fileURLToPath(new URL(`./screenshots/${name}.png`, import.meta.url));

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
}

async function signedInPage(browser: Browser, username: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username, password);
  return page;
}

const isWorkOrderCall = (path: RegExp) => (response: { url(): string; request(): { method(): string } }) =>
  response.request().method() === 'POST' && path.test(new URL(response.url()).pathname);

/** The status chip in the drawer's header. */
const drawerStatus = (drawer: Locator) => drawer.locator('.side-panel-header .wo-status');

/** A line of the demo plant and the order running or paused on it, if any (read from the API as the page does). */
async function pickLine(page: Page): Promise<{ lineId: string; lineName: string; holder: TWorkOrder | undefined }> {
  const lines = listOf(ZLine).parse(await (await page.request.get('/api/v1/lines?limit=500')).json()).items;
  const running = listOf(ZWorkOrder).parse(
    await (await page.request.get('/api/v1/work-orders?status=IN_PROGRESS,PAUSED&limit=500')).json(),
  ).items;
  const holderOf = (lineId: string) => running.find((order) => order.lineId === lineId);
  // A free line when there is one (a re-run finds the line its previous run freed); on fresh demo data every line
  // runs an order, and the spec shows how the page handles that.
  const line = lines.find((candidate) => holderOf(candidate.id) === undefined) ?? lines[0];
  if (line === undefined) throw new Error('the demo plant has no lines');
  return { lineId: line.id, lineName: line.name, holder: holderOf(line.id) };
}

test('a supervisor takes an order from draft to completed while a viewer watches it live', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const number = `E2E-${Date.now().toString(36).toUpperCase()}`;
  await signIn(page, 'supervisor', 'takt-supervisor');
  await page.getByRole('link', { name: 'Work orders' }).click();
  await expect(page.getByRole('heading', { name: 'Work orders', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Lines now' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Open orders' })).toBeVisible();
  await expect(page.getByTestId('work-orders-live')).toHaveText('Live');
  await page.screenshot({ path: screenshot('work-orders') });

  // The form checks the plan against the contract before anything is sent.
  await page.getByRole('button', { name: 'New work order' }).click();
  const form = page.getByRole('form', { name: 'New work order' });
  await form.getByRole('button', { name: 'Create draft' }).click();
  await expect(form.getByText('Enter the order number', { exact: true })).toBeVisible();
  await expect(form.getByText('Choose a product', { exact: true })).toBeVisible();
  await expect(form.getByText('Enter the number of good parts to make')).toBeVisible();
  await form.getByLabel('Order number').fill(number);
  await form.getByLabel('Product').selectOption({ label: 'BRK-1001 · Brake caliper 42 mm' });
  await form.getByLabel('Target quantity').fill('2.5');
  await form.getByRole('button', { name: 'Create draft' }).click();
  await expect(form.getByText('Must be a whole number of parts')).toBeVisible();
  await form.getByLabel('Target quantity').fill('120');
  await form.getByLabel('Due (optional)').fill('2030-01-15T14:00');
  await form.getByLabel('Time zone of the due date').selectOption({ label: 'Plant 1 — Stuttgart (Europe/Berlin)' });
  await page.screenshot({ path: screenshot('work-orders-create') });
  const created = page.waitForResponse(isWorkOrderCall(/^\/api\/v1\/work-orders$/));
  await form.getByRole('button', { name: 'Create draft' }).click();
  const createdResponse = await created;
  expect(createdResponse.status()).toBe(201);
  const order = ZWorkOrder.parse(await createdResponse.json());
  // 14:00 in Stuttgart in January is 13:00 UTC.
  expect(order.dueAt).toBe('2030-01-15T13:00:00.000Z');

  // The new order opens in the drawer with only the steps a draft can take.
  const drawer = page.getByRole('dialog', { name: number });
  await expect(drawerStatus(drawer)).toHaveText('Draft');
  await expect(drawer.getByRole('button', { name: 'Start' })).toHaveCount(0);
  await drawer.getByRole('button', { name: 'Release', exact: true }).click();
  await expect(drawerStatus(drawer)).toHaveText('Released');
  await expect(drawer.getByText('Dispatch the order to a line before it can start.')).toBeVisible();

  const { lineId, lineName, holder } = await pickLine(page);
  await drawer.getByLabel('Dispatch to line').selectOption(lineId);
  const dispatched = page.waitForResponse(isWorkOrderCall(/\/dispatch$/));
  await drawer.getByRole('button', { name: 'Dispatch', exact: true }).click();
  expect((await dispatched).status()).toBe(200);
  await expect(drawer.getByRole('definition').filter({ hasText: lineName })).toBeVisible();

  // A viewer opens the same order in another browser: same figures, no write controls.
  const viewer = await signedInPage(browser, 'viewer', 'takt-viewer');
  await viewer.getByRole('link', { name: 'Work orders' }).click();
  await expect(viewer.getByRole('heading', { name: 'Lines now' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'New work order' })).toHaveCount(0);
  await viewer.getByTestId(`work-order-row-${number}`).click();
  const viewerDrawer = viewer.getByRole('dialog', { name: number });
  await expect(drawerStatus(viewerDrawer)).toHaveText('Released');
  await expect(viewerDrawer.getByText(/Read only/)).toBeVisible();
  await expect(viewerDrawer.getByRole('heading', { name: 'Next steps' })).toHaveCount(0);
  await expect(viewerDrawer.getByRole('button', { name: /Start|Cancel order|Dispatch|Edit plan/ })).toHaveCount(0);
  await expect(viewer.getByTestId('work-orders-live')).toHaveText('Live');

  if (holder !== undefined) {
    // The line runs another order: the server refuses the start and the page names that order next to the button.
    const refused = page.waitForResponse(isWorkOrderCall(/\/start$/));
    await drawer.getByRole('button', { name: 'Start', exact: true }).click();
    expect((await refused).status()).toBe(409);
    const refusal = drawer.getByTestId('work-order-action-error');
    await expect(refusal).toContainText(`already runs work order ${holder.number}`);
    await refusal.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshot('work-orders-line-busy') });

    // The supervisor opens the holder from the hint and completes it (it is short of target: the page asks).
    await drawer.getByRole('button', { name: holder.number, exact: true }).click();
    const holderDrawer = page.getByRole('dialog', { name: holder.number });
    await expect(drawerStatus(holderDrawer)).toHaveText(holder.status === 'PAUSED' ? 'Paused' : 'In progress');
    await holderDrawer.getByRole('button', { name: 'Complete', exact: true }).click();
    if (holder.production.goodCount < holder.targetQuantity) {
      await holderDrawer.getByRole('alertdialog').getByRole('button', { name: 'Yes, complete' }).click();
    }
    await expect(drawerStatus(holderDrawer)).toHaveText('Completed');
    await holderDrawer.getByRole('button', { name: 'Close' }).click();
    await expect(holderDrawer).toBeHidden();
    await page.getByTestId(`work-order-row-${number}`).click();
  }

  // Start, and the viewer sees it without reloading (the live stream, well inside the 30 s refresh).
  await drawer.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(drawerStatus(drawer)).toHaveText('In progress');
  await expect(drawerStatus(viewerDrawer)).toHaveText('In progress', { timeout: 8_000 });

  await drawer.getByLabel('Note for the history (optional)').fill('Material shortage at station 2');
  await drawer.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(drawerStatus(drawer)).toHaveText('Paused');
  await expect(drawerStatus(viewerDrawer)).toHaveText('Paused', { timeout: 8_000 });
  await expect(viewerDrawer.getByText('Material shortage at station 2')).toBeVisible();
  await viewer.screenshot({ path: screenshot('work-orders-viewer') });

  await drawer.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(drawerStatus(drawer)).toHaveText('In progress');

  // A manual correction needs a reason; then it shows in the figures.
  await drawer.locator('summary', { hasText: 'Adjust counts' }).click();
  const adjust = drawer.getByRole('form', { name: `Adjust counts of ${number}` });
  await adjust.getByLabel('Good parts ±').fill('5');
  await adjust.getByLabel('Scrap parts ±').fill('2');
  await adjust.getByRole('button', { name: 'Adjust counts' }).click();
  await expect(adjust.getByText('Give a reason')).toBeVisible();
  await adjust.getByLabel('Reason').fill('E2E: recount at final inspection');
  const adjusted = page.waitForResponse(isWorkOrderCall(/\/adjustments$/));
  await adjust.getByRole('button', { name: 'Adjust counts' }).click();
  expect((await adjusted).status()).toBe(200);
  await expect(drawer.getByTestId('work-order-adjustments')).toContainText('good +5, scrap +2');
  // Who corrected the counts, when and why.
  await expect(drawer.getByRole('list', { name: 'Manual adjustments' })).toContainText(
    'E2E: recount at final inspection',
  );
  await expect(viewerDrawer.getByTestId('work-order-adjustments')).toContainText('good +5, scrap +2', {
    timeout: 8_000,
  });
  await drawer.getByRole('heading', { name: 'Progress' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot('work-orders-running') });

  // Completing short of the target asks first.
  await drawer.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(drawer.getByRole('alertdialog')).toContainText('Complete it anyway?');
  await drawer.getByRole('button', { name: 'Yes, complete' }).click();
  await expect(drawerStatus(drawer)).toHaveText('Completed');
  await expect(drawer.getByRole('heading', { name: 'Next steps' })).toHaveCount(0);
  await expect(drawerStatus(viewerDrawer)).toHaveText('Completed', { timeout: 8_000 });
  const history = drawer.getByRole('list', { name: 'Status history' });
  await expect(history.getByRole('listitem')).toHaveCount(7);
  for (const step of ['Created', 'Released', 'Dispatched', 'Started', 'Paused', 'Resumed', 'Completed']) {
    await expect(history.getByText(step, { exact: true })).toBeVisible();
  }
  await history.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot('work-orders-completed') });

  // The completed order leaves the open list and appears among the completed ones.
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId(`work-order-row-${number}`)).toHaveCount(0);
  await page.getByRole('button', { name: /^Completed/ }).click();
  await expect(page.getByTestId(`work-order-row-${number}`)).toBeVisible();
  await viewer.context().close();
});

test('drafts are checked, edited and deleted; a stale write is refused; a released order is cancelled', async ({
  page,
}) => {
  const stamp = Date.now().toString(36).toUpperCase();
  await signIn(page, 'supervisor', 'takt-supervisor');
  await page.goto('/work-orders');

  for (const suffix of ['A', 'B']) {
    await page.getByRole('button', { name: 'New work order' }).click();
    const form = page.getByRole('form', { name: 'New work order' });
    await form.getByLabel('Order number').fill(`E2E-${stamp}-${suffix}`);
    await form.getByLabel('Product').selectOption({ index: 1 });
    await form.getByLabel('Target quantity').fill('50');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await expect(page.getByRole('dialog', { name: `E2E-${stamp}-${suffix}` })).toBeVisible();
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  }

  // A number already in use is refused by the server, next to the field.
  await page.getByRole('button', { name: 'New work order' }).click();
  const form = page.getByRole('form', { name: 'New work order' });
  await form.getByLabel('Order number').fill(`E2E-${stamp}-A`);
  await form.getByLabel('Product').selectOption({ index: 1 });
  await form.getByLabel('Target quantity').fill('50');
  await form.getByRole('button', { name: 'Create draft' }).click();
  await expect(form.getByText('Already in use')).toBeVisible();
  await form.getByRole('button', { name: 'Cancel', exact: true }).click();

  await page.getByTestId(`work-order-row-E2E-${stamp}-A`).click();
  const draft = page.getByRole('dialog', { name: `E2E-${stamp}-A` });
  await draft.getByRole('button', { name: 'Delete draft…' }).click();
  const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE');
  await draft.getByRole('button', { name: 'Yes, delete' }).click();
  expect((await deleted).status()).toBe(204);
  await expect(draft).toBeHidden();
  await expect(page.getByTestId(`work-order-row-E2E-${stamp}-A`)).toHaveCount(0);

  // The plan of a draft can still change.
  await page.getByTestId(`work-order-row-E2E-${stamp}-B`).click();
  const released = page.getByRole('dialog', { name: `E2E-${stamp}-B` });
  await released.getByRole('button', { name: 'Edit plan' }).click();
  const plan = released.getByRole('form', { name: `Edit plan of E2E-${stamp}-B` });
  await plan.getByRole('button', { name: 'Save plan' }).click();
  await expect(plan.getByText('Change at least one field')).toBeVisible();
  await plan.getByLabel('Target quantity').fill('75');
  await plan.getByRole('button', { name: 'Save plan' }).click();
  await expect(released.getByText('75 good parts')).toBeVisible();

  // A write with a version someone else has moved on from is refused (412): the page says so and reloads the order,
  // and the next try goes through. The stale If-Match is injected on the way to the server.
  const releasePath = '**/api/v1/work-orders/*/release';
  await page.route(releasePath, (route) =>
    route.continue({ headers: { ...route.request().headers(), 'if-match': '"1"' } }),
  );
  await released.getByRole('button', { name: 'Release', exact: true }).click();
  await expect(released.getByTestId('work-order-action-error')).toContainText('changed this order in the meantime');
  await page.unroute(releasePath);
  await released.getByRole('button', { name: 'Release', exact: true }).click();
  await expect(drawerStatus(released)).toHaveText('Released');
  await released.getByLabel('Note for the history (optional)').fill('Customer withdrew the call-off');
  await released.getByRole('button', { name: 'Cancel order' }).click();
  await expect(released.getByRole('alertdialog')).toContainText('cannot be reopened');
  await released.getByRole('button', { name: 'Yes, cancel order' }).click();
  await expect(drawerStatus(released)).toHaveText('Cancelled');
  await expect(released.getByText('Customer withdrew the call-off')).toBeVisible();
});
