// Languages end to end: an admin switches to German in the user menu and every page, panel and form of the SPA
// speaks German. The scan reads every visible text node, the accessible names and tooltips, the options of every
// picker and the tab title, and fails on any that still reads as an English message of the catalogue (filled-in
// messages are matched as patterns). Plant data (names, codes, reasons) is marked translate="no" and left out;
// messages that German writes the same way (OEE, MTBF) cannot be told apart here (the catalogue's unit test lists
// them, so that an untranslated copy fails there). Every page is
// also photographed in English and German at 1440×900 into e2e/screenshots/ for review.
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { listOf, ZMachine } from '@takt/contracts';
import { de } from '../src/lib/i18n/messages.de.ts';
import { en } from '../src/lib/i18n/messages.en.ts';

type TLanguage = 'en' | 'de';

const screenshotPath = (name: string) => fileURLToPath(new URL(`./screenshots/${name}.png`, import.meta.url));

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The English texts a German page must not show: every form of every message German words differently, as a
 * pattern in which each `{value}` stands for anything. A message that is nothing but values and punctuation
 * ("{code} · {name}") says nothing English and is left out.
 */
function englishPatterns(): { key: string; pattern: RegExp }[] {
  const patterns: { key: string; pattern: RegExp }[] = [];
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    const english: string | Record<string, string> = en[key];
    const german: string | Record<string, string> = de[key];
    const englishForms = typeof english === 'string' ? [english] : Object.values(english);
    const germanForms = typeof german === 'string' ? [german] : Object.values(german);
    for (const form of englishForms) {
      if (germanForms.includes(form)) continue;
      const literal = form.replace(/\{\w+\}/g, '');
      if (!/[A-Za-z]{2}/.test(literal)) continue;
      const source = form
        .trim()
        .split(/\{\w+\}/)
        .map(escapeRegExp)
        .join('.+?');
      patterns.push({ key, pattern: new RegExp(`^${source}$`) });
    }
  }
  return patterns;
}

const ENGLISH = englishPatterns();

/** The visible words of the page: text nodes, names, tooltips, placeholders, options and the tab title. */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [document.title];
    const isData = (element: Element | null) => element?.closest('[translate="no"]') !== null;
    const isShown = (element: Element) =>
      element.closest('option, optgroup') !== null ||
      element.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent === null || isData(parent) || parent.closest('script, style') !== null) continue;
      if (!isShown(parent)) continue;
      texts.push(node.textContent ?? '');
    }
    const named = document.body.querySelectorAll('[aria-label], [title], [placeholder], [aria-valuetext]');
    for (const element of Array.from(named)) {
      if (isData(element)) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'aria-valuetext']) {
        const value = element.getAttribute(name);
        if (value !== null) texts.push(value);
      }
    }
    return texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter((text) => text !== '');
  });
}

async function expectNoEnglish(page: Page, where: string): Promise<void> {
  const leftovers = (await visibleTexts(page)).flatMap((text) => {
    const match = ENGLISH.find(({ pattern }) => pattern.test(text));
    return match === undefined ? [] : [`"${text}" (${match.key})`];
  });
  expect(leftovers, `English text left on ${where}`).toEqual([]);
}

/** Waits until nothing on the page says it is still loading, in either language. */
async function settle(page: Page): Promise<void> {
  await expect(page.getByText(/Loading|Checking|geladen…|geprüft…|Verbindung zu Live-Daten/)).toHaveCount(0, {
    timeout: 20_000,
  });
}

async function visit(page: Page, language: TLanguage, name: string, check: () => Promise<void>): Promise<void> {
  await check();
  await settle(page);
  await page.screenshot({ path: screenshotPath(`${language}-${name}`), fullPage: true });
  if (language === 'de') await expectNoEnglish(page, name);
}

async function chooseLanguage(page: Page, language: TLanguage): Promise<void> {
  await page.locator('.user-menu summary').click();
  await page.getByRole('combobox', { name: language === 'de' ? 'Language' : 'Sprache' }).selectOption(language);
  await page.locator('.user-menu summary').click();
}

for (const language of ['en', 'de'] as const) {
  test(`every page in ${language === 'de' ? 'German' : 'English'}`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('takt-admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
    if (language === 'de') {
      await chooseLanguage(page, 'de');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Übersicht');
      await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    }

    await visit(page, language, 'overview', async () => {
      await expect(page.locator('.machine-tile').first()).toBeVisible();
    });
    if (language === 'en') {
      // The scan sees what a user sees: on the English page it finds the words it would flag on a German one.
      const flagged = (await visibleTexts(page)).filter((text) => ENGLISH.some(({ pattern }) => pattern.test(text)));
      expect(flagged).toEqual(expect.arrayContaining(['Overview', 'Production', 'System status']));
    }
    await page.locator('.user-menu summary').click();
    await visit(page, language, 'user-menu', async () => {
      await expect(page.locator('.user-menu-panel')).toBeVisible();
    });
    await page.locator('.user-menu summary').click();

    await page.goto('/oee');
    await visit(page, language, 'oee', async () => {
      await expect(page.getByTestId('kpi-oee-value')).toBeVisible();
      await expect(page.getByTestId('mtbf')).not.toHaveText('…');
    });

    const machines = listOf(ZMachine).parse(await (await page.request.get('/api/v1/machines?limit=1')).json());
    const machine = machines.items[0];
    if (machine === undefined) throw new Error('the seeded plant has no machine');
    await page.goto(`/oee?scope=machine&id=${machine.id}&range=yesterday&explain=1`);
    await visit(page, language, 'oee-explain', async () => {
      await expect(page.getByTestId('explain-oee')).toBeVisible();
    });

    await page.goto('/downtime');
    // The seeded week always has stops; the last 24 hours of a weekend may have none.
    await page.getByLabel(language === 'de' ? 'Zeitraum' : 'Range').selectOption('7d');
    await visit(page, language, 'downtime', async () => {
      await expect(page.locator('.pareto, .downtime-page .panel-muted').first()).toBeVisible();
      await expect(page.locator('.data-table tbody tr').first()).toBeVisible();
    });

    await page.goto('/work-orders');
    await visit(page, language, 'work-orders', async () => {
      await expect(page.locator('.wo-line-card').first()).toBeVisible();
      await expect(page.locator('.wo-row').first()).toBeVisible();
    });
    await page.locator('.wo-row').first().click();
    await visit(page, language, 'work-order-drawer', async () => {
      await expect(page.locator('.side-panel .wo-history li').first()).toBeVisible();
    });
    await page.goto('/work-orders?view=completed');
    await visit(page, language, 'work-orders-completed', async () => {
      await expect(page.locator('.wo-row').first()).toBeVisible();
    });
    await page.goto('/work-orders?new=1');
    await visit(page, language, 'work-order-new', async () => {
      await expect(page.locator('.side-panel form')).toBeVisible();
    });

    for (const path of ['/admin/plant', '/admin/data-sources', '/admin/users', '/no-such-page']) {
      await page.goto(path);
      await visit(page, language, path.split('/').at(-1) ?? path, async () => {
        await expect(page.locator('.empty-state')).toBeVisible();
      });
    }

    await page.goto('/');
    await page.locator('.user-menu summary').click();
    await page.getByRole('button', { name: language === 'de' ? 'Abmelden' : 'Sign out' }).click();
    // The language is remembered in this browser: the sign-in page speaks it too.
    await visit(page, language, 'login', async () => {
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(language === 'de' ? 'Anmelden' : 'Sign in');
    });
  });
}
