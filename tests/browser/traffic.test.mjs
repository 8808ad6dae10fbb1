// Weights changed to 50/50 in the UI take effect in the proxy within a second, and the
// traffic view's edges follow the real requests (both around 50%).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stack, page, useSharedSession } from './lib/session.mjs';
import { gwJson, sendTraffic, eventually } from './lib/harness.mjs';
import { goTo, screenshot } from './lib/browser.mjs';
import { openEditor, setDestinations, reviewAndApply } from './lib/route_ui.mjs';

useSharedSession();

test('a 50/50 split made in the UI is served by the proxy within a second', async () => {
  const warm = await sendTraffic(stack.ports.http, 10);
  assert.deepEqual(warm, { frontend: 10 }, 'before: every request goes to frontend');
  const dlg = await openEditor(page, 'shop');
  await setDestinations(dlg, [['frontend', 50], ['frontendv2', 50]]);
  assert.match(await dlg.locator('[data-testid="weight-sum"]').textContent(), /Sum of weights: 100\./);
  await reviewAndApply(page, dlg);
  const applied = Date.now();
  const seen = await eventually(async () => {
    const s = await sendTraffic(stack.ports.http, 20);
    return s.frontend && s.frontendv2 ? s : null;
  }, { timeout: 1000, interval: 0, what: 'both backends answer after the apply' });
  const took = Date.now() - applied;
  assert.ok(took < 1000, `both backends answered ${took} ms after the apply (${JSON.stringify(seen)})`);
  const route = await gwJson(stack.home, ['route', 'get', 'shop']);
  const weights = (route.route || route).destinations.map((d) => [d.service, d.weight ?? 100]);
  assert.deepEqual(weights, [['frontend', 50], ['frontendv2', 50]]);
});

test('the traffic view shows both edges of shop around 50%', async () => {
  await goTo(page, 'monitoring');
  const counts = await sendTraffic(stack.ports.http, 200);
  assert.equal((counts.frontend || 0) + (counts.frontendv2 || 0), 200, JSON.stringify(counts));
  const started = Date.now();
  const shares = await eventually(() => page.evaluate(() => {
    const out = {};
    for (const g of document.querySelectorAll('[data-testid="traffic-edge"][data-route="shop"]')) {
      out[g.dataset.service] = { share: Number(g.dataset.share), label: g.querySelector('text').textContent, requests: Number(g.dataset.requests) };
    }
    const ok = ['frontend', 'frontendv2'].every((s) => out[s] && out[s].requests > 50 && out[s].share >= 0.35 && out[s].share <= 0.65);
    return ok ? out : null;
  }), { timeout: 15_000, interval: 250, what: 'edges shop→frontend and shop→frontendv2 between 35% and 65%' });
  for (const s of ['frontend', 'frontendv2']) {
    assert.match(shares[s].label, /^\d+%$/);
    const pct = Number(shares[s].label.replace('%', ''));
    assert.ok(pct >= 35 && pct <= 65, `${s} labelled ${shares[s].label}`);
  }
  console.log(`traffic view followed in ${Date.now() - started} ms: ${JSON.stringify(shares)}`);
  await page.selectOption('[data-testid="mon-route"]', 'shop');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-rps"] polyline').length > 0, null, { timeout: 10_000 })
    .catch(async (e) => {
      await screenshot(page, 'monitoring-failed');
      throw new Error(`${e.message}: ${await page.locator('#mon-charts').innerHTML()}`.slice(0, 3000));
    });
  await screenshot(page, 'monitoring');
  assert.deepEqual(page.jsErrors, []);
});
