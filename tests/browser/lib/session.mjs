// One stack, one Chromium and one logged-in page shared by the tests of a file: call
// useSharedSession() at the top of the file; `stack`, `browser` and `page` are live
// bindings, set before the first test and stopped after the last.

import { before, after } from 'node:test';
import { startStack } from './harness.mjs';
import { launch, loggedInPage } from './browser.mjs';

export let stack;
export let browser;
export let page;

export function useSharedSession() {
  before(async () => {
    stack = await startStack();
    browser = await launch();
    page = await loggedInPage(browser, stack);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });
}
