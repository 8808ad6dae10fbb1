// Sessions: the printed URL logs in once, the admin token logs in through the form, nothing
// but the login page and its style answers without a session, changes need X-GW-CSRF.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startStack, request } from './lib/harness.mjs';
import { launch, loggedInPage, pageApi, screenshot, TIMEOUT } from './lib/browser.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('without a session: the API answers 401, / and /login the login page, /app.css is served', async () => {
  const api = await request(`${stack.base}/api/v1/routes`);
  assert.equal(api.status, 401);
  assert.ok(JSON.parse(api.body).error, 'a 401 of the API is {"error": ...}');
  for (const p of ['/', '/login']) {
    const page = await request(`${stack.base}${p}`);
    assert.match(page.body, /name="token"/, `${p} shows the login form`);
    assert.match(page.headers['content-security-policy'] || '', /default-src 'self'/);
  }
  const css = await request(`${stack.base}/app.css`);
  assert.equal(css.status, 200);
  const js = await request(`${stack.base}/js/app.js`);
  assert.equal(js.status, 401, 'the scripts need a session');
});

test('the printed URL logs in once; the header shows the proxy and the revision', async () => {
  assert.ok(!stack.loginUsed, 'this test is the first to log in');
  const page = await loggedInPage(browser, stack);
  assert.equal(new URL(page.url()).pathname, '/');
  await page.waitForSelector('#proxy-state.ok', { timeout: TIMEOUT });
  assert.match(await page.textContent('#proxy-state'), /running/i);
  assert.match(await page.textContent('#revision'), /revision \d+/);
  assert.equal(await page.isVisible('[data-testid="no-proxy-banner"]'), false);
  assert.equal(await page.title(), 'Gateways · gw dashboard');
  await screenshot(page, 'gateways-after-login');

  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(stack.loginUrl, { timeout: TIMEOUT });
  assert.equal(await second.locator('input[name="token"]').count(), 1, 'a used one-time token shows the login page');
  await other.close();

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'gw_session');
  assert.ok(session, 'the session cookie is set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the admin token logs in through the form; a wrong one is refused', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${stack.base}/login`, { timeout: TIMEOUT });
  await screenshot(page, 'login');
  await page.getByLabel('Token').fill('not-the-token');
  await Promise.all([page.waitForNavigation({ timeout: TIMEOUT }), page.getByRole('button', { name: 'Log in' }).click()]);
  assert.equal(await page.locator('input[name="token"]').count(), 1, 'a wrong token shows the login page again');
  const token = (await fs.readFile(path.join(stack.home, 'admin.token'), 'utf8')).trim();
  await page.getByLabel('Token').fill(token);
  await Promise.all([page.waitForNavigation({ timeout: TIMEOUT }), page.getByRole('button', { name: 'Log in' }).click()]);
  await page.waitForSelector('nav a[data-page="routes"]', { timeout: TIMEOUT });
  assert.equal(new URL(page.url()).pathname, '/');
  await context.close();
});

test('a change without X-GW-CSRF is refused with 403; logging out ends the session', async () => {
  const page = await loggedInPage(browser, stack);
  const refused = await page.evaluate(async () => {
    const res = await fetch('/api/v1/routes/x', { method: 'PUT', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ revision: 0, item: { name: 'x', gateway: 'shop-ingress', destinations: [{ service: 'frontend' }] } }) });
    return { status: res.status, body: await res.json() };
  });
  assert.equal(refused.status, 403);
  assert.match(refused.body.error, /X-GW-CSRF/);
  const session = await pageApi(page, 'GET', '/session');
  assert.equal(session.status, 200);
  assert.equal(session.body.proxy.running, true);
  await Promise.all([page.waitForNavigation({ timeout: TIMEOUT }), page.getByRole('button', { name: 'Log out' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/login');
  const after = await page.evaluate(async () => (await fetch('/api/v1/routes')).status);
  assert.equal(after, 401);
  await page.context().close();
});
