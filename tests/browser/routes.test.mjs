// The route editor: a route created in the UI is in the document (gw route get); an invalid
// edit shows the error next to its field and changes nothing; a stale form gets a 409 with a
// reload; "Explain a URL" answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stack, page, useSharedSession } from './lib/session.mjs';
import { gw, gwJson } from './lib/harness.mjs';
import { goTo, screenshot, TIMEOUT } from './lib/browser.mjs';
import { openEditor, setDestinations, reviewAndApply } from './lib/route_ui.mjs';

useSharedSession();

async function revision() {
  return (await gwJson(stack.home, ['config', 'show'])).revision;
}

test('a route created in the UI is saved: gw route get shows it', async () => {
  const dlg = await openEditor(page, null);
  await dlg.getByLabel('Name', { exact: true }).fill('cart');
  await dlg.getByLabel('Gateway', { exact: true }).selectOption('shop-ingress');
  await dlg.getByLabel('Hosts', { exact: true }).fill('shop.test');
  await dlg.getByLabel('Path', { exact: true }).fill('/cart');
  await dlg.getByLabel('Match type').selectOption('prefix');
  await dlg.getByLabel('POST').check();
  await dlg.getByLabel('GET').check();
  await setDestinations(dlg, [['frontendv2', 100]]);
  await dlg.getByLabel('Timeout', { exact: true }).fill('5s');
  await screenshot(page, 'route-form');
  const diff = await reviewAndApply(page, dlg);
  assert.match(diff, /\+.*cart/, 'the dry run showed the new route in the diff');
  await page.waitForSelector('tr[data-route="cart"]', { timeout: TIMEOUT });
  const route = await gwJson(stack.home, ['route', 'get', 'cart']);
  const r = route.route || route.item || route;
  assert.equal(r.name, 'cart');
  assert.equal(r.gateway, 'shop-ingress');
  assert.deepEqual(r.hosts, ['shop.test']);
  assert.deepEqual(r.match, { path: '/cart', type: 'prefix' });
  assert.deepEqual([...r.methods].sort(), ['GET', 'POST']);
  assert.equal(r.destinations[0].service, 'frontendv2');
  assert.equal(r.timeout, '5s');
  await screenshot(page, 'routes');
});

test('weights that do not sum to 100 are refused in the form; nothing is sent', async () => {
  const before = await revision();
  const dlg = await openEditor(page, 'shop');
  await setDestinations(dlg, [['frontend', 60], ['frontendv2', 60]]);
  assert.match(await dlg.locator('[data-testid="weight-sum"]').textContent(), /120.*must sum to 100/);
  await dlg.getByRole('button', { name: 'Review changes' }).click();
  const err = dlg.locator('[data-error-for="destinations"]');
  await err.waitFor({ timeout: TIMEOUT });
  assert.match(await err.textContent(), /sum to 100/);
  assert.equal(await dlg.locator('[data-testid="diff"]').count(), 0);
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await revision(), before);
});

test('a negative weight: the server\'s 422 shows next to the weight field; the document is unchanged', async () => {
  const before = await revision();
  const shown = await gw(stack.home, ['config', 'show']);
  const dlg = await openEditor(page, 'shop');
  await setDestinations(dlg, [['frontend', -10], ['frontendv2', 110]]);
  await dlg.getByRole('button', { name: 'Review changes' }).click();
  const err = dlg.locator('[data-error-for="destinations[0].weight"]');
  await page.waitForFunction(() => document.querySelector('dialog[open] [data-error-for="destinations[0].weight"]')?.textContent.trim(), null, { timeout: TIMEOUT });
  assert.ok((await err.textContent()).trim().length > 0);
  const input = dlg.locator('[data-field="destinations[0].weight"]');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.match(await input.getAttribute('aria-describedby'), new RegExp(await err.getAttribute('id')));
  assert.ok(await dlg.locator('[data-testid="error-summary"] li').count() >= 1, 'the summary lists the problem');
  await screenshot(page, 'route-form-invalid');
  assert.equal(await dlg.getByRole('button', { name: 'Apply' }).isVisible(), false);
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'detached', timeout: TIMEOUT });
  assert.equal(await revision(), before);
  assert.equal((await gw(stack.home, ['config', 'show'])).stdout, shown.stdout);
});

test('a form opened before another change gets a 409 and offers to reload', async () => {
  const dlg = await openEditor(page, 'shop');
  await gw(stack.home, ['route', 'add', 'other', '--gateway', 'shop-ingress', '--host', 'other.test', '--to', 'frontend']);
  await dlg.getByLabel('Timeout', { exact: true }).fill('7s');
  await dlg.getByRole('button', { name: 'Review changes' }).click();
  const reload = dlg.getByRole('button', { name: 'Reload' });
  await reload.waitFor({ timeout: TIMEOUT });
  assert.match(await dlg.locator('[data-errors]').textContent(), /changed meanwhile/);
  await reload.click();
  await page.waitForSelector('tr[data-route="other"]', { timeout: TIMEOUT });
  const shop = await gwJson(stack.home, ['route', 'get', 'shop']);
  assert.notEqual((shop.route || shop).timeout, '7s');
});

test('Explain a URL names the winning route', async () => {
  await goTo(page, 'routes');
  await page.getByLabel('URL', { exact: true }).fill('http://shop.test/cart/1');
  await page.getByRole('button', { name: 'Explain' }).click();
  const winner = page.locator('[data-testid="explain-winner"]');
  await winner.waitFor({ timeout: TIMEOUT });
  assert.equal(await winner.textContent(), 'cart');
});

test('deleting a route asks first, then removes it', async () => {
  await goTo(page, 'routes');
  await page.click('button[data-delete="other"]');
  await page.getByRole('button', { name: 'Delete', exact: true }).last().click();
  await page.waitForFunction(() => !document.querySelector('tr[data-route="other"]') && document.querySelector('main').dataset.ready === 'routes', null, { timeout: TIMEOUT });
  const r = await gw(stack.home, ['route', 'get', 'other'], { allowFail: true });
  assert.equal(r.code, 3, 'gw route get of a deleted route exits 3 (not found)');
  assert.deepEqual(page.jsErrors, []);
});
