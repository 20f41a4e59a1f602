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

/**
 * Goes to a section the way a person does: the sidebar on a desktop, the menu sheet on a phone (below md the sidebar
 * is hidden and the header's "Menu" button opens the same links).
 */
export async function openSection(page: Page, name: RegExp) {
  // below Tailwind's md breakpoint (768 px) the sidebar is hidden (AppShell)
  if ((page.viewportSize()?.width ?? 1440) < 768) {
    await page.getByRole('button', { name: 'Menu', exact: true }).click();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name }).click();
  } else {
    await page.getByRole('link', { name }).filter({ visible: true }).first().click();
  }
  await page.getByRole('heading', { name }).first().waitFor();
}

export async function openIntegrations(page: Page) {
  await openSection(page, /integrations/i);
}

/** The page is no wider than its viewport (nothing makes a phone scroll sideways). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}
