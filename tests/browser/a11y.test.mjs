// Every page: no serious or critical axe-core violation, a <main> and a title of its own, a
// screenshot; the first paint of / under 300 ms on loopback.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { startStack, gw } from './lib/harness.mjs';
import { launch, loggedInPage, goTo, screenshot, requireDependency, TIMEOUT } from './lib/browser.mjs';

const require = createRequire(import.meta.url);
const PAGES = ['gateways', 'routes', 'services', 'certificates', 'consumers', 'monitoring'];

let stack;
let browser;

before(async () => {
  stack = await startStack();
  // Something on every page: a plan, a consumer with a key, a certificate.
  await gw(stack.home, ['plan', 'add', 'gold', '--quota', '1000/day', '--rate-limit', '5/1s']);
  await gw(stack.home, ['consumer', 'add', 'alice', '--plan', 'gold']);
  await gw(stack.home, ['consumer', 'key', 'create', 'alice']);
  await gw(stack.home, ['cert', 'issue', '--domain', 'shop.test', '--gateway', 'shop-ingress', '--issuer', 'internal'], { timeout: 120_000 });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function axe(page, what) {
  requireDependency('axe-core');
  const source = await fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: source });
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const text = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`).join('\n  ');
  assert.equal(bad.length, 0, `${what}: serious or critical violations:\n  ${text}`);
  return result.violations.length;
}

test('every page passes axe-core without a serious or critical violation', async () => {
  // axe is injected as an inline script, which the dashboard's CSP forbids: this context only
  // bypasses CSP.
  const page = await loggedInPage(browser, stack, { bypassCSP: true });
  for (const name of PAGES) {
    await goTo(page, name);
    if (name === 'monitoring') {
      await page.waitForSelector('#traffic-view svg, #traffic-view .empty', { timeout: TIMEOUT });
    }
    assert.equal(await page.locator('main').count(), 1);
    assert.match(await page.title(), new RegExp(`^${name}`, 'i'));
    await axe(page, name);
  }
  await goTo(page, 'routes');
  await page.click('button[data-edit="shop"]');
  await page.waitForSelector('dialog[open]');
  await axe(page, 'the route editor');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog', { state: 'detached', timeout: TIMEOUT });
  await page.context().close();
});

test('a screenshot of every page at 1366x768, and no request beyond the dashboard', async () => {
  const page = await loggedInPage(browser, stack);
  const elsewhere = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${stack.base}/`) && !url.startsWith('data:')) {
      elsewhere.push(url);
    }
  });
  for (const name of PAGES) {
    await goTo(page, name);
    if (name === 'monitoring') {
      await page.waitForTimeout(2500);
    }
    await screenshot(page, `page-${name}`);
  }
  assert.deepEqual(page.jsErrors, []);
  assert.deepEqual(elsewhere, [], 'the page asked for something beyond the dashboard');
  await page.context().close();
});

test('the first paint of / comes under 300 ms', async () => {
  const page = await loggedInPage(browser, stack);
  const paints = [];
  for (let i = 0; i < 3; i += 1) {
    await page.goto(`${stack.base}/`, { waitUntil: 'load' });
    await page.waitForSelector('nav a', { timeout: TIMEOUT });
    const fp = await page.evaluate(async () => {
      for (let k = 0; k < 50; k += 1) {
        const e = performance.getEntriesByName('first-contentful-paint')[0] || performance.getEntriesByName('first-paint')[0];
        if (e) {
          return e.startTime;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return null;
    });
    assert.notEqual(fp, null, 'the browser reports a first paint');
    paints.push(fp);
  }
  paints.sort((a, b) => a - b);
  console.log(`first paint of / (ms): ${paints.map((p) => p.toFixed(0)).join(', ')}`);
  assert.ok(paints[1] < 300, `median first paint ${paints[1].toFixed(0)} ms`);
  await page.context().close();
});

test('keyboard: the nav is reachable with Tab and a dialog closes with Escape', async () => {
  const page = await loggedInPage(browser, stack);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent.trim());
  assert.equal(focused, 'Gateways');
  await page.keyboard.press('Enter');
  await goTo(page, 'services');
  await page.getByRole('button', { name: 'New service' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('dialog[open]');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('dialog') !== null), true, 'focus moves into the dialog');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog', { state: 'detached', timeout: TIMEOUT });
  await page.context().close();
});
