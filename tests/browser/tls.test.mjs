// TLS state: before any certificate the Gateways page warns for shop.test; after
// `gw cert issue --issuer internal` it shows the green check with the days left, and the
// Certificates page shows the certificate valid. A certificate issued from the UI runs as a
// job whose progress and success show.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stack, page, useSharedSession } from './lib/session.mjs';
import { gw } from './lib/harness.mjs';
import { goTo, screenshot, TIMEOUT } from './lib/browser.mjs';

useSharedSession();

test('without a certificate the Gateways page warns for shop.test, with the reason', async () => {
  await goTo(page, 'gateways');
  const warn = page.locator('[data-testid="tls-problem"][data-host="shop.test"]');
  await warn.waitFor({ timeout: TIMEOUT });
  assert.equal(await warn.getAttribute('data-state'), 'missing');
  assert.match(await warn.textContent(), /Warning/);
  const listeners = await page.locator('section[data-gateway="shop-ingress"] table tbody tr').allTextContents();
  assert.ok(listeners.some((l) => l.includes('https') && l.includes(String(stack.ports.https))), listeners.join(' | '));
  await screenshot(page, 'gateways-no-certificate');
});

test('after gw cert issue, shop.test has the green check and the certificate is valid', async () => {
  await gw(stack.home, ['cert', 'issue', '--domain', 'shop.test', '--gateway', 'shop-ingress', '--issuer', 'internal'], { timeout: 120_000 });
  await goTo(page, 'gateways');
  const ok = page.locator('[data-testid="tls-valid"][data-host="shop.test"]');
  await ok.waitFor({ timeout: TIMEOUT });
  const text = await ok.textContent();
  const days = Number(/(\d+) days? left/.exec(text)?.[1]);
  assert.ok(days > 14, `"${text.trim()}" says how many days are left`);
  await screenshot(page, 'gateways');

  await goTo(page, 'certificates');
  const row = page.locator('tr[data-cert="shop.test"]');
  await row.waitFor({ timeout: TIMEOUT });
  assert.equal(await row.locator('[data-testid="cert-state"]').getAttribute('data-state'), 'valid');
  // Whole days of whole seconds: a second later, 90 can become 89.
  const certDays = Number(await row.locator('[data-testid="cert-days"]').textContent());
  assert.ok(Math.abs(certDays - days) <= 1, `the Certificates page says ${certDays} days, the Gateways page ${days}`);
  await screenshot(page, 'certificates');
});

test('issuing from the UI shows the job\'s progress, then its success', async () => {
  await goTo(page, 'certificates');
  await page.getByRole('button', { name: 'Issue a certificate' }).click();
  const dlg = page.locator('dialog[open]');
  await dlg.getByLabel('Domains').fill('www.shop.test');
  await dlg.getByLabel('Issuer').selectOption('internal');
  await dlg.getByLabel('Gateway').selectOption('shop-ingress');
  await dlg.getByRole('button', { name: 'Issue' }).click();
  const job = page.locator('[data-testid="job"]').first();
  await job.waitFor({ timeout: TIMEOUT });
  await job.locator('[data-job-state="succeeded"], [data-job-state="failed"]').waitFor({ timeout: 60_000 });
  const state = await job.locator('[data-job-state]').getAttribute('data-job-state');
  assert.equal(state, 'succeeded', await job.textContent());
  await page.waitForSelector('tr[data-cert="www.shop.test"] [data-state="valid"]', { timeout: TIMEOUT });
  await screenshot(page, 'certificates-job');
  assert.deepEqual(page.jsErrors, []);
});
