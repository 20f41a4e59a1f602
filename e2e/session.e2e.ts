// The session as a person lives it (the auth client loads on demand since issue 10: src/lib/lazyAuth.ts): a stored
// session opens the app without signing in again, an expired access token is refreshed, and signing out in one tab
// signs out the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openIntegrations, signIn } from './support/browser';
import { ADMIN } from './support/stack';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The key and value auth-js stores the session under (`sb-<host label>-auth-token`). */
async function storedSession(page: Page): Promise<{ key: string; value: Record<string, unknown> }> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => /^sb-.+-auth-token$/.test(k));
    if (!key) throw new Error('no stored session');
    return { key, value: JSON.parse(localStorage.getItem(key)!) };
  });
}

describe('the session', () => {
  it('refreshes an expired access token on the next visit and keeps the person signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await openIntegrations(page);
    const before = await storedSession(page);
    // the access token expired an hour ago (as after a laptop slept): the app must refresh it, not sign out
    await page.evaluate(({ key, value }) => {
      localStorage.setItem(key, JSON.stringify({ ...value, expires_at: Math.floor(Date.now() / 1000) - 3600 }));
    }, before);
    await page.reload();
    await page.getByRole('heading', { name: 'Fathom', exact: true }).first().waitFor();
    expect(new URL(page.url()).pathname).not.toMatch(/sign-in/);
    await expect
      .poll(async () => (await storedSession(page)).value.access_token, { timeout: 15_000 })
      .not.toBe(before.value.access_token);
    expect(Number((await storedSession(page)).value.expires_at)).toBeGreaterThan(Date.now() / 1000);
    await context.close();
  });

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
