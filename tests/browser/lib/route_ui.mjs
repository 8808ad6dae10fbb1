// Driving the route editor of the Routes page.

import { goTo, waitReady, TIMEOUT } from './browser.mjs';

export async function openEditor(page, name) {
  // A dialog a failed test left open would stand in the way.
  await page.evaluate(() => document.querySelectorAll('dialog[open]').forEach((d) => d.close()));
  await goTo(page, 'routes');
  if (name) {
    await page.click(`button[data-edit="${name}"]`);
  } else {
    await page.click('button[data-new]');
  }
  await page.waitForSelector('dialog[open] [data-field="destinations"]', { timeout: TIMEOUT });
  return page.locator('dialog[open]');
}

// Sets the destination rows to [[service, weight], ...].
export async function setDestinations(dlg, rows) {
  let count = await dlg.locator('[data-field^="destinations["][data-field$="].weight"]').count();
  while (count < rows.length) {
    await dlg.getByRole('button', { name: 'Add destination' }).click();
    count += 1;
  }
  while (count > rows.length) {
    await dlg.locator('[data-remove]').last().click();
    count -= 1;
  }
  for (const [i, [service, weight]] of rows.entries()) {
    await dlg.locator(`[data-field="destinations[${i}].service"]`).selectOption(service);
    await dlg.locator(`[data-field="destinations[${i}].weight"]`).fill(String(weight));
  }
}

// Review (dry run: the diff shows), then Apply; resolves when the dialog closed and the page
// shows the saved state.
export async function reviewAndApply(page, dlg) {
  await dlg.getByRole('button', { name: 'Review changes' }).click();
  await dlg.locator('[data-testid="diff"]').waitFor({ timeout: TIMEOUT });
  const diff = await dlg.locator('[data-testid="diff"]').textContent();
  await dlg.getByRole('button', { name: 'Apply' }).click();
  await dlg.waitFor({ state: 'detached', timeout: TIMEOUT });
  await waitReady(page, 'routes');
  return diff;
}
