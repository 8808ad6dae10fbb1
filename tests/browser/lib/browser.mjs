// Debian's Chromium driven by playwright-core (no browser download), a logged-in page, the
// dashboard's API called with the session, screenshots into GW_ARTIFACTS.

import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ARTIFACTS, REPO } from './harness.mjs';

const require = createRequire(import.meta.url);

// A module of tests/browser/node_modules, or an error that says what to do.
export function requireDependency(name) {
  try {
    return require(name);
  } catch {
    throw new Error(`${name} is not installed in ${path.join(REPO, 'tests/browser/node_modules')}: run scripts/setup`);
  }
}

function loadPlaywright() {
  return requireDependency('playwright-core');
}

export const CHROMIUM = process.env.GW_CHROMIUM || '/usr/bin/chromium';
export const TIMEOUT = 10_000;

export async function launch() {
  const { chromium } = loadPlaywright();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A new context, logged in through the URL gw dashboard printed the first time (the token
// works once), then with the home's admin token through the login form; resolves the page
// on `/`.
export async function loggedInPage(browser, stack, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, ...contextOptions });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // Refused requests (401, 409, 422...) are logged by the browser too: not script errors.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      errors.push(m.text());
    }
  });
  page.jsErrors = errors;
  if (!stack.loginUsed) {
    stack.loginUsed = true;
    await page.goto(stack.loginUrl, { waitUntil: 'load' });
  } else {
    const token = (await fs.readFile(path.join(stack.home, 'admin.token'), 'utf8')).trim();
    await page.goto(`${stack.base}/login`, { waitUntil: 'load' });
    await page.fill('input[name="token"]', token);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button[type="submit"]')]);
  }
  await page.waitForSelector('nav a[data-page="gateways"]');
  return page;
}

// Calls the dashboard's API inside the page, with the session cookie and CSRF token.
export async function pageApi(page, method, apiPath, body) {
  return page.evaluate(async ({ method: m, apiPath: p, body: b }) => {
    const s = await (await fetch('/api/v1/session')).json();
    const init = { method: m, headers: { 'X-GW-CSRF': s.csrf } };
    if (b !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(b);
    }
    const res = await fetch(`/api/v1${p}`, init);
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  }, { method, apiPath, body });
}

export async function goTo(page, name) {
  // As a user does: the nav link (which also reloads the page already shown).
  await page.click(`nav a[data-page="${name}"]`);
  await waitReady(page, name);
}

// Waits until the page `name` has rendered its data (app.js sets main[data-ready]).
export async function waitReady(page, name) {
  await page.waitForFunction((n) => document.querySelector('main')?.dataset.ready === n, name, { timeout: TIMEOUT });
}

export async function screenshot(page, name) {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
