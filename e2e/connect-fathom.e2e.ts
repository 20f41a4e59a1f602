// Issue "Connect Fathom": the whole popup flow in Chromium against the real stack and the Fathom sandbox.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openIntegrations, signIn } from './support/browser';
import { ADMIN, DEMO_TEAM_ID, MEMBER, resetDemoIntegrations, withDb } from './support/stack';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await resetDemoIntegrations();
});
beforeEach(async () => {
  await resetDemoIntegrations();
});

async function openFathom(page: Page, email: string) {
  await signIn(page, email);
  await openIntegrations(page);
  await page.getByTestId('integration-fathom').getByRole('button').click();
  return page.getByRole('dialog');
}

async function storedFathomRow() {
  return withDb(async (sql) => {
    const [row] = await sql`
      select status, account_email, access_token_encrypted, refresh_token_encrypted
        from public.team_integrations where team_id = ${DEMO_TEAM_ID} and provider = 'fathom'`;
    return row;
  });
}

describe('connecting Fathom through the popup', () => {
  it('lets the admin connect, stay connected after a reload, and disconnect', async () => {
    const page = await browser.newPage();
    const dialog = await openFathom(page, ADMIN);

    const popupOpened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Connect Fathom' }).click();
    const popup = await popupOpened;
    await popup.waitForURL(/\/external\/v1\/oauth2\/authorize/);
    await popup.getByText(/Fathom sandbox/i).first().waitFor();
    const popupClosed = popup.waitForEvent('close', { timeout: 15_000 });
    await popup.getByRole('button', { name: 'Authorize' }).click();
    await popupClosed; // the callback page closed itself after posting the result

    await dialog.getByText('Fathom connected').waitFor();
    await dialog.getByText('sandy@sandbox.fathom.test').first().waitFor();
    await dialog.getByText(ADMIN).first().waitFor(); // connected by

    const row = await storedFathomRow();
    expect(row.status).toBe('connected');
    expect(row.access_token_encrypted).toMatch(/^v1:/); // ciphertext, never the token itself

    await page.reload();
    await page.getByTestId('integration-fathom').getByText(/connected/i).first().waitFor();
    await page.getByTestId('integration-fathom').getByRole('button').click();
    const reopened = page.getByRole('dialog');
    await reopened.getByText('sandy@sandbox.fathom.test').first().waitFor();

    await reopened.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disconnect' }).click();
    await reopened.getByRole('button', { name: 'Connect Fathom' }).waitFor();
    expect(await storedFathomRow()).toBeUndefined();
    await page.close();
  });

  it('shows the member the status but no way to connect or disconnect', async () => {
    const page = await browser.newPage();
    const dialog = await openFathom(page, MEMBER);
    await dialog.getByText(/only team owners and admins/i).waitFor();
    expect(await dialog.getByRole('button', { name: /connect fathom|disconnect|reconnect/i }).count()).toBe(0);
    await page.close();
  });

  it('shows a clear error when consent is denied and leaves the status unchanged', async () => {
    const page = await browser.newPage();
    const dialog = await openFathom(page, ADMIN);
    const popupOpened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Connect Fathom' }).click();
    const popup = await popupOpened;
    await popup.getByRole('button', { name: 'Deny' }).click();
    await dialog.getByText('You cancelled the Fathom authorization.').waitFor();
    await dialog.getByRole('button', { name: 'Connect Fathom' }).waitFor();
    const row = await storedFathomRow();
    expect(row?.status ?? 'disconnected').toBe('disconnected');
    expect(row?.access_token_encrypted ?? null).toBeNull();
    await page.close();
  });
});
