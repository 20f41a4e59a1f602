// "Confirm email" is on (as on hosted Supabase): a new account cannot sign in until the link in its mailbox is opened.
// The local mailbox is the gateway's GET /_dev/mailbox?email= (docs/local-development.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { mailbox, signUpAndConfirm } from './support/auth';
import { stack, withDb } from './support/stack';

const PASSWORD = 'a long enough password';
const address = (label: string) => `e2e-confirm-${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await withDb((sql) => sql`delete from auth.users where email like 'e2e-confirm-%@example.test'`);
});

async function submitSignIn(page: Page, email: string) {
  await page.goto(`${stack.webUrl}/sign-in`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
}

describe('confirming an e-mail address', () => {
  it('a person signs up in the app, opens the mailed link, is told the address is confirmed, and signs in (390 px)', async () => {
    const email = address('ui');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${stack.webUrl}/sign-in`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Your name').fill('Una Interface');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(`We sent a confirmation link to ${email}`).waitFor();

    const [message] = await mailbox(email);
    await page.goto(message.links.confirmation!);
    await page.getByText('Your e-mail address is confirmed. Sign in to continue.').waitFor();
    expect(new URL(page.url()).hash).toBe(''); // the link's tokens left the address bar
    await page.getByLabel(/email/i).fill(email);
    await page.getByLabel(/password/i).fill(PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByText(/not a member of any team/i).first().waitFor();
    const [row] = await withDb((sql) => sql`select raw_user_meta_data from auth.users where email = ${email}`);
    expect(row.raw_user_meta_data.full_name).toBe('Una Interface');

    // the same link again: expired or used, said in words
    await page.context().clearCookies();
    await page.evaluate(() => localStorage.clear());
    await page.goto(message.links.confirmation!);
    await page.getByText(/expired or was already used/).waitFor();
    await context.close();
  });

  it('an unconfirmed address is told to confirm first; after the mailbox link it signs in', async () => {
    const email = address('journey');
    const signup = await fetch(`${stack.gatewayUrl}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: process.env.SUPABASE_ANON_KEY ?? '', 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(signup.status).toBe(200);
    expect(await signup.json()).not.toHaveProperty('access_token');

    const page = await browser.newPage();
    await submitSignIn(page, email);
    await page.getByText(`Confirm your e-mail first: we sent a link to ${email}.`).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    const [message] = await mailbox(email);
    const opened = await fetch(message.links.confirmation!, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toMatch(/#access_token=/);

    await submitSignIn(page, email);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page.getByText(/not a member of any team/i).first().waitFor();
    await page.close();
  });

  it('signUpAndConfirm leaves an account that signs in', async () => {
    const email = address('helper');
    await signUpAndConfirm(email, PASSWORD, 'Helen Helper');
    const confirmed = await withDb((sql) => sql`
      select email_confirmed_at, raw_user_meta_data from auth.users where email = ${email}`);
    expect(confirmed[0].email_confirmed_at).not.toBeNull();
    expect(confirmed[0].raw_user_meta_data).toEqual({ full_name: 'Helen Helper' });
    await expect(signUpAndConfirm(email, PASSWORD)).rejects.toThrow(/no confirmation link|confirming/);

    const page = await browser.newPage();
    await submitSignIn(page, email);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page.close();
  });
});
