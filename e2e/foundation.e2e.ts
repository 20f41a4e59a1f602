// Issue "Foundation": each demo account signs in and sees the Integrations page it may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openIntegrations, signIn } from './support/browser';
import { ADMIN, MEMBER, OUTSIDER, stack } from './support/stack';

const PROVIDERS = ['Discord', 'Slack', 'Zoom', 'Typeform', 'Fathom'];
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('signing in and opening Integrations', () => {
  it('redirects a signed-out visitor to the sign-in page', async () => {
    const page = await browser.newPage();
    await page.goto(stack.webUrl);
    await page.waitForURL(/\/sign-in/);
    await page.close();
  });

  it('refuses a wrong password with a readable message', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.webUrl}/sign-in`);
    await page.getByLabel(/email/i).fill(ADMIN);
    await page.getByLabel(/password/i).fill('not-the-password');
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByText('Incorrect email or password.').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });

  for (const email of [ADMIN, MEMBER]) {
    it(`shows the five providers, with their status, to ${email}`, async () => {
      const page = await browser.newPage();
      await signIn(page, email);
      await openIntegrations(page);
      for (const name of PROVIDERS) {
        await page.getByRole('heading', { name, exact: true }).first().waitFor();
      }
      await page.getByText('Demo Team').first().waitFor();
      await page.getByText(/not connected/i).first().waitFor();
      await page.close();
    });
  }

  it('tells the outsider they are in no team instead of showing a team portal', async () => {
    const page = await browser.newPage();
    await signIn(page, OUTSIDER);
    await page.getByText(/not a member of any team/i).first().waitFor();
    expect(await page.getByText('Demo Team').count()).toBe(0);
    await page.close();
  });
});
