// Sign-in end to end, through the real form against the real API: each demo user sees their own name,
// role and exactly their role's navigation, and signs out again; wrong passwords, empty forms, strangers
// and pages above a user's role are turned away. Screenshots land in e2e/screenshots/ for review.
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { ZProblem, ZSessionResponse, type TRole, type TUser } from '@takt/contracts';

type TDemoUser = { username: string; password: string; role: TRole; roleLabel: string; navigation: string[] };

const PRODUCTION_PAGES = ['Overview', 'OEE', 'Downtime', 'Work orders'];
const DEMO_USERS: TDemoUser[] = [
  {
    username: 'admin',
    password: 'takt-admin',
    role: 'ADMIN',
    roleLabel: 'Admin',
    navigation: [...PRODUCTION_PAGES, 'Plant configuration', 'Data sources', 'Users'],
  },
  {
    username: 'supervisor',
    password: 'takt-supervisor',
    role: 'SUPERVISOR',
    roleLabel: 'Supervisor',
    navigation: PRODUCTION_PAGES,
  },
  { username: 'viewer', password: 'takt-viewer', role: 'VIEWER', roleLabel: 'Viewer', navigation: PRODUCTION_PAGES },
];

function screenshotPath(name: string): string {
  return fileURLToPath(new URL(`./screenshots/${name}.png`, import.meta.url));
}

const isPath = (pathname: string) => (url: URL) => url.pathname === pathname;

/** The language and sign-out sit in the user menu of the top bar. */
async function openUserMenu(page: Page): Promise<void> {
  await page.locator('.user-menu summary').click();
}

/** Fills and submits the sign-in form; resolves with the API's answer to the login request. */
async function submitLogin(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  const response = page.waitForResponse((candidate) => new URL(candidate.url()).pathname === '/api/v1/auth/login');
  await page.getByRole('button', { name: 'Sign in' }).click();
  return response;
}

async function signIn(page: Page, user: TDemoUser): Promise<TUser> {
  await page.goto('/login');
  const response = await submitLogin(page, user.username, user.password);
  expect(response.status(), `sign-in of ${user.username}`).toBe(200);
  return ZSessionResponse.parse(await response.json()).user;
}

test('the login page asks for a username and password', async ({ page }) => {
  await page.goto('/login');
  await expect(page).toHaveTitle('Sign in · Takt');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Username')).toBeFocused();
  await expect(page.getByLabel('Password')).toHaveAttribute('type', 'password');
  await page.screenshot({ path: screenshotPath('login'), fullPage: true });
});

for (const user of DEMO_USERS) {
  test(`${user.role} signs in, sees their role's navigation and signs out`, async ({ page }) => {
    const sessionUser = await signIn(page, user);
    expect(sessionUser.role).toBe(user.role);

    await expect(page).toHaveURL(isPath('/'));
    const topBar = page.getByRole('banner');
    await expect(topBar).toContainText('Takt');
    await expect(topBar.getByTestId('current-user-name')).toHaveText(sessionUser.displayName);
    await expect(topBar.getByTestId('current-user-role')).toHaveText(user.roleLabel);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(user.navigation);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');

    // Every page of the menu opens with its own header, marked as the current page in the menu.
    const navigation = page.getByRole('navigation', { name: 'Main' });
    for (const label of user.navigation) {
      await navigation.getByRole('link', { name: label, exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(label);
      await expect(navigation.getByRole('link', { name: label, exact: true })).toHaveAttribute('aria-current', 'page');
      await expect(page.getByRole('main').getByRole('heading', { level: 2 }).first()).toBeVisible();
    }

    await navigation.getByRole('link', { name: 'Overview', exact: true }).click();
    // The status bar has answered before the picture is taken.
    await expect(page.getByTestId('health-status')).toContainText('Database');
    await expect(page.getByRole('region', { name: 'System status' })).toContainText('Broker');
    await page.screenshot({ path: screenshotPath(user.role.toLowerCase()), fullPage: true });

    await openUserMenu(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(isPath('/login'));
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

    // The session is gone on the server too, not just forgotten by the page.
    await page.goto('/');
    await expect(page).toHaveURL(isPath('/login'));
  });
}

test('a wrong password shows the API message and stays on the login page', async ({ page }) => {
  await page.goto('/login');
  const response = await submitLogin(page, 'admin', 'not-the-password');
  expect(response.status()).toBe(401);
  const problem = ZProblem.parse(await response.json());

  await expect(page.getByRole('alert')).toHaveText(problem.detail ?? problem.title);
  await expect(page.getByRole('alert')).toContainText('Invalid username or password');
  await expect(page).toHaveURL(isPath('/login'));
  // The username stays, the password is cleared and focused for the next try.
  await expect(page.getByLabel('Username')).toHaveValue('admin');
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.screenshot({ path: screenshotPath('login-error'), fullPage: true });
});

test('an empty form is rejected in the browser without asking the API', async ({ page }) => {
  await page.goto('/login');
  let loginRequests = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/auth/login') loginRequests += 1;
  });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Username is required')).toBeVisible();
  await expect(page.getByText('Password is required')).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  expect(loginRequests).toBe(0);
});

test('a stranger is sent to the login page and back to the page they asked for', async ({ page }) => {
  await page.goto('/downtime');
  await expect(page).toHaveURL(isPath('/login'));
  const viewer = DEMO_USERS.find((user) => user.role === 'VIEWER');
  if (viewer === undefined) throw new Error('no VIEWER demo user');
  const response = await submitLogin(page, viewer.username, viewer.password);
  expect(response.status()).toBe(200);
  await expect(page).toHaveURL(isPath('/downtime'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Downtime');
});

test('a viewer opening an admin page directly is redirected to the overview', async ({ page }) => {
  const viewer = DEMO_USERS.find((user) => user.role === 'VIEWER');
  if (viewer === undefined) throw new Error('no VIEWER demo user');
  await signIn(page, viewer);
  await expect(page).toHaveURL(isPath('/'));

  for (const path of ['/admin/users', '/admin/plant']) {
    await page.goto(path);
    await expect(page).toHaveURL(isPath('/'));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  }
});

test('the shell fits a tablet screen without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  const admin = DEMO_USERS.find((user) => user.role === 'ADMIN');
  if (admin === undefined) throw new Error('no ADMIN demo user');
  await signIn(page, admin);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await expect(page.getByTestId('health-status')).toContainText('Database');

  const overflowPx = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflowPx).toBeLessThanOrEqual(0);
  // Every menu item is on screen, none hidden behind a sideways scroll.
  for (const link of await page.getByRole('navigation', { name: 'Main' }).getByRole('link').all())
    await expect(link).toBeInViewport({ ratio: 1 });
  await openUserMenu(page);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport({ ratio: 1 });
  await page.screenshot({ path: screenshotPath('admin-tablet'), fullPage: true });
});
