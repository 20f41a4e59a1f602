// The session as a person lives it: signing out in one tab signs out the others.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openIntegrations, signIn } from './support/browser';
import { ADMIN } from './support/stack';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the session', () => {
  it('signing out in one tab signs out the other tabs', async () => {
    const context = await browser.newContext();
    const first = await context.newPage();
    await signIn(first, ADMIN);
    await openIntegrations(first);
    const second = await context.newPage();
    await second.goto(first.url());
    await second.getByRole('heading', { name: 'Fathom', exact: true }).first().waitFor();

    await first.getByRole('button', { name: 'User menu' }).click();
    await first.getByRole('menuitem', { name: 'Sign out' }).click();
    await first.waitForURL(/\/sign-in/);
    await second.waitForURL(/\/sign-in/, { timeout: 15_000 });
    // and it stays signed out after a reload
    await second.reload();
    await second.waitForURL(/\/sign-in/);
    await context.close();
  });
});
