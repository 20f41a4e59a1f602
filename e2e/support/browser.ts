// Debian's Chromium driven by playwright-core, with the flags this machine needs (no background networking:
// the network is closed and Chromium would otherwise keep trying to reach Google).
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD, stack } from './stack';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function signIn(page: Page, email: string) {
  await page.goto(`${stack.webUrl}/sign-in`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

export async function openIntegrations(page: Page) {
  await page.getByRole('link', { name: /integrations/i }).first().click();
  await page.getByRole('heading', { name: /integrations/i }).first().waitFor();
}
