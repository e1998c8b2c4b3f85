// The OEE page end to end on the seeded demo plant: a plant manager opens /oee, sees the site's figures, drills
// into an area, a line and a machine through the breakdown, and reads on each level exactly the percentages the
// API answered; opens the explanation of a machine's OEE; walks back up with the browser's back button; and
// switches the range and the series bucket. Viewport screenshots of each level land in e2e/screenshots/.
import { fileURLToPath } from 'node:url';
import { expect, test, type Page, type Response } from '@playwright/test';
import { ZKpiExplainResponse, ZKpiOeeResponse, type TKpiOeeResponse, type TKpiScopeKind } from '@takt/contracts';
import { DateTime } from 'luxon';

// The page formats with the browser's locale; pin it so the expected strings are known.
test.use({ locale: 'en-US' });

const DEMO_SITE_ZONE = 'Europe/Berlin';

const screenshot = (name: string) => fileURLToPath(new URL(`./screenshots/${name}.png`, import.meta.url));

const percent = (ratio: number | null) =>
  ratio === null
    ? 'n/a'
    : new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
        ratio,
      );

/** The next /kpi/oee answer for a scope kind (and bucket), parsed with the shared contract. */
function nextOee(page: Page, kind: TKpiScopeKind, bucket?: string): Promise<TKpiOeeResponse> {
  return page
    .waitForResponse((r: Response) => {
      const url = new URL(r.url());
      return (
        url.pathname === '/api/v1/kpi/oee' &&
        url.searchParams.get('scope') === kind &&
        (bucket === undefined || url.searchParams.get('bucket') === bucket)
      );
    })
    .then(async (r) => {
      expect(r.status()).toBe(200);
      return ZKpiOeeResponse.parse(await r.json());
    });
}

async function expectTilesOf(page: Page, oee: TKpiOeeResponse): Promise<void> {
  const { kpis } = oee.totals;
  await expect(page.getByTestId('kpi-oee-value')).toHaveText(percent(kpis.oee));
  await expect(page.getByTestId('kpi-availability-value')).toHaveText(percent(kpis.availability));
  await expect(page.getByTestId('kpi-performance-value')).toHaveText(percent(kpis.performance));
  await expect(page.getByTestId('kpi-quality-value')).toHaveText(percent(kpis.quality));
  await expect(page.locator('.oee-figures-area')).not.toHaveClass(/is-stale/);
}

/** The child with the worst OEE, which the breakdown lists first. */
function worstChild(oee: TKpiOeeResponse) {
  const rated = oee.children.filter((child) => child.kpis.oee !== null);
  const worst = rated.reduce((a, b) => ((b.kpis.oee ?? 1) < (a.kpis.oee ?? 1) ? b : a), rated[0]!);
  return worst;
}

async function signIn(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill('viewer');
  await page.getByLabel('Password').fill('takt-viewer');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
}

/**
 * The last working day before today on the demo plant's clock (its first site runs Monday to Friday, in Berlin):
 * a day with production whatever weekday the test runs on.
 */
function lastWorkingDay(): { from: string; to: string } {
  let day = DateTime.now().setZone(DEMO_SITE_ZONE).startOf('day').minus({ days: 1 });
  while (day.weekday > 5) day = day.minus({ days: 1 });
  return { from: day.toUTC().toISO() ?? '', to: day.plus({ days: 1 }).toUTC().toISO() ?? '' };
}

test('a plant manager drills from the site to a machine and reads how its OEE was computed', async ({ page }) => {
  await signIn(page);
  const siteAnswer = nextOee(page, 'site', 'hour');
  await page.goto(`/oee?${new URLSearchParams(lastWorkingDay()).toString()}`);
  const site = await siteAnswer;

  // The first site, a working day in hours, figures as answered; the breakdown lists its areas worst first.
  await expect(page.getByRole('heading', { name: 'OEE', level: 1 })).toBeVisible();
  const breadcrumb = page.getByRole('navigation', { name: 'Plant scope' });
  await expect(breadcrumb).toContainText(site.scope.name);
  await expectTilesOf(page, site);
  await expect(page.getByTestId('range-note')).toContainText(`times in ${site.scope.timeZone}`);
  await expect(page.getByRole('figure', { name: /Loss waterfall/ })).toBeVisible();
  await expect(page.getByRole('figure', { name: /per hour/ })).toBeVisible();
  await expect(page.getByTestId('mtbf')).not.toHaveText('…');
  const rows = page.locator('.oee-breakdown tbody tr');
  await expect(rows).toHaveCount(site.children.length);
  const worstArea = worstChild(site);
  await expect(rows.first().getByRole('rowheader')).toHaveText(worstArea.name);
  await expect(rows.first()).toContainText(percent(worstArea.kpis.oee));
  await page.screenshot({ path: screenshot('oee-site') });

  // Area, then its worst line: the URL carries the scope, the breadcrumb grows.
  const areaAnswer = nextOee(page, 'area');
  await rows.first().getByRole('link', { name: worstArea.name }).click();
  const area = await areaAnswer;
  expect(area.scope.id).toBe(worstArea.id);
  await expect(page).toHaveURL(new RegExp(`scope=area&id=${worstArea.id}`));
  await expectTilesOf(page, area);

  const worstLine = worstChild(area);
  const lineAnswer = nextOee(page, 'line');
  // A click anywhere on the row drills down, not only on the name.
  await rows.filter({ hasText: worstLine.name }).locator('td').nth(2).click();
  const line = await lineAnswer;
  expect(line.scope.id).toBe(worstLine.id);
  await expectTilesOf(page, line);
  await expect(breadcrumb.getByRole('listitem')).toHaveText([
    `Site${site.scope.name}`,
    `Area${area.scope.name}`,
    `Line${line.scope.name}`,
  ]);
  await expect(rows).toHaveCount(line.children.length);
  await page.screenshot({ path: screenshot('oee-line') });
  await page.locator('.oee-breakdown').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot('oee-line-breakdown') });

  // A machine: no breakdown below it, but its figures can be explained.
  const machineChild = worstChild(line);
  const machineAnswer = nextOee(page, 'machine');
  await rows.filter({ hasText: machineChild.name }).getByRole('link').click();
  const machine = await machineAnswer;
  expect(machine.scope.id).toBe(machineChild.id);
  expect(machine.children).toEqual([]);
  await expectTilesOf(page, machine);
  await expect(page.locator('.oee-breakdown')).toHaveCount(0);
  await page.screenshot({ path: screenshot('oee-machine') });

  const explainAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/kpi/oee/explain');
  await page.getByRole('button', { name: 'How was this computed?' }).click();
  const explain = ZKpiExplainResponse.parse(await (await explainAnswer).json());
  const drawer = page.getByRole('dialog', { name: 'How was this computed?' });
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(/explain=1/);
  // The recomputation from raw data agrees with the figure on the tile.
  expect(explain.isConsistent).toBe(true);
  await expect(drawer.getByTestId('explain-oee')).toHaveText(percent(explain.totals.kpis.oee));
  await expect(drawer.getByTestId('explain-oee')).toHaveText(percent(machine.totals.kpis.oee));
  await expect(drawer.getByRole('heading', { name: 'Parts and ideal cycle times' })).toBeVisible();
  await expect(drawer.getByRole('heading', { name: /Shift calendar/ })).toBeVisible();
  await page.screenshot({ path: screenshot('oee-explain') });
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(page).not.toHaveURL(/explain=1/);

  // Back walks up the drill-down: the line again, with its figures.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`scope=line&id=${line.scope.id}`));
  await expectTilesOf(page, line);
  await expect(breadcrumb.getByRole('listitem')).toHaveCount(3);
});

test('the range and the series bucket change the query and stay in the URL', async ({ page }) => {
  await signIn(page);
  const today = nextOee(page, 'site', 'hour');
  await page.goto('/oee');
  await today;

  const week = nextOee(page, 'site', 'day');
  await page.getByRole('combobox', { name: 'Range' }).selectOption('last-7-days');
  const weekFigures = await week;
  expect(weekFigures.series.length).toBeGreaterThanOrEqual(7);
  await expect(page).toHaveURL(/range=last-7-days/);
  await expectTilesOf(page, weekFigures);

  const shifts = nextOee(page, 'site', 'shift');
  await page.getByText('Shift', { exact: true }).click();
  const shiftFigures = await shifts;
  expect(shiftFigures.series.every((point) => point.shiftCode !== null)).toBe(true);
  await expect(page).toHaveURL(/bucket=shift/);

  // The URL alone reproduces the view: a fresh page load asks for the same range and bucket.
  const reloaded = nextOee(page, 'site', 'shift');
  await page.reload();
  const reloadedFigures = await reloaded;
  expect(reloadedFigures.from).toBe(shiftFigures.from);
  await expect(page.getByRole('combobox', { name: 'Range' })).toHaveValue('last-7-days');
  await expect(page.getByRole('radio', { name: 'Shift' })).toBeChecked();
  await page.getByRole('figure', { name: /per shift/ }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot('oee-week-shifts') });

  // Zooming into one shift makes it the range, in hours.
  const firstShift = reloadedFigures.series[0]!;
  await page.getByText('Show the series as a table').click();
  const zoomed = nextOee(page, 'site', 'hour');
  await page.locator('.oee-series-table tbody tr').first().getByRole('button').click();
  const zoomedFigures = await zoomed;
  expect(zoomedFigures.from).toBe(new Date(firstShift.from).toISOString());
  expect(zoomedFigures.to).toBe(new Date(firstShift.to).toISOString());
  await expect(page).toHaveURL(/from=.*&to=/);
  await expectTilesOf(page, zoomedFigures);

  // Whole days picked from the calendar are days of the site, whatever the browser's zone.
  const zone = weekFigures.scope.timeZone;
  const localDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(ms);
  const firstDayMs = Date.parse(weekFigures.from);
  await page.getByRole('combobox', { name: 'Range' }).selectOption('pick-dates');
  const form = page.getByRole('form', { name: 'Pick dates' });
  await form.getByLabel('From').fill(localDate(firstDayMs));
  await form.getByLabel('To (inclusive)').fill(localDate(firstDayMs + 36 * 3_600_000));
  const picked = nextOee(page, 'site', 'day');
  await form.getByRole('button', { name: 'Apply' }).click();
  const pickedFigures = await picked;
  expect(pickedFigures.from).toBe(weekFigures.from);
  expect(localDate(Date.parse(pickedFigures.to))).toBe(localDate(firstDayMs + 60 * 3_600_000));
  expect(pickedFigures.series).toHaveLength(2);
  await expect(form).toBeHidden();
});
