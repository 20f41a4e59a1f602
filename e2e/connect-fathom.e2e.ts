// Issue "Connect Fathom": the whole popup flow in Chromium against the real stack and the Fathom sandbox.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openIntegrations, scrollsSideways, signIn } from './support/browser';
import { ADMIN, DEMO_TEAM_ID, MEMBER, OUTSIDER, resetDemoIntegrations, stack, withDb } from './support/stack';

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

/** The signed-in user's access token, as supabase-js keeps it in the page's localStorage. */
async function accessTokenOf(page: Page): Promise<string> {
  const token = await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) {
      if (key.endsWith('-auth-token')) return JSON.parse(localStorage.getItem(key) ?? '{}').access_token as string;
    }
    return null;
  });
  if (!token) throw new Error('no session in the page');
  return token;
}

async function callFunction(name: string, token: string | null, body: unknown) {
  const response = await fetch(`${stack.gatewayUrl}/functions/v1/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Makes the sandbox's consent page send COOP same-origin, as many real sign-in pages do. */
async function consentPageWithCoop(context: BrowserContext) {
  await context.route('**/external/v1/oauth2/authorize**', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin' },
    });
  });
}

const VIEWPORTS = [
  { label: 'desktop', size: { width: 1440, height: 900 } },
  { label: 'phone', size: { width: 390, height: 844 } },
];

describe('connecting Fathom through the popup', () => {
  it.each(VIEWPORTS)('lets the admin connect, stay connected after a reload, and disconnect ($label)', async ({ size }) => {
    const context = await browser.newContext({ viewport: size });
    const page = await context.newPage();
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
    expect(await scrollsSideways(page)).toBe(false);
    await context.close();
  });

  it('connects when the consent page sends COOP same-origin (the opener reads the popup as closed)', async () => {
    const context = await browser.newContext();
    await consentPageWithCoop(context);
    const page = await context.newPage();
    const dialog = await openFathom(page, ADMIN);
    const popupOpened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Connect Fathom' }).click();
    const popup = await popupOpened;
    await popup.getByRole('button', { name: 'Authorize' }).waitFor();
    // COOP cut the opener: the app reads popup.closed === true while the person is still deciding
    await dialog.getByText(/keeps listening for a few minutes|The Fathom window was closed/).waitFor();
    await popup.getByRole('button', { name: 'Authorize' }).click();

    await dialog.getByText('Fathom connected').waitFor();
    expect((await storedFathomRow()).status).toBe('connected');
    await popup.waitForEvent('close', { timeout: 15_000 }); // closed itself, without an opener
    await context.close();
  });

  it('a flow started through the API and finished in another browser connects nothing', async () => {
    // The initiator, an admin, starts through the API and forwards every URL and value it returned.
    const initiator = await browser.newContext();
    const adminPage = await initiator.newPage();
    await signIn(adminPage, ADMIN);
    const adminToken = await accessTokenOf(adminPage);

    for (const who of ['signed out', OUTSIDER] as const) {
      const started = await callFunction('fathom-oauth-start', adminToken, {
        teamId: DEMO_TEAM_ID,
        redirectUri: `${stack.webUrl}/fathom-callback.html`,
      });
      expect(started.status).toBe(200);
      const { authUrl, confirmSecret } = started.body as { authUrl: string; confirmSecret: string };
      const other = await browser.newContext();
      const page = await other.newPage();
      let token: string | null = null;
      if (who !== 'signed out') {
        await signIn(page, who);
        token = await accessTokenOf(page);
      }
      // The forwarded attempt sits in this browser's tab as if it had started it.
      await page.goto(`${stack.webUrl}/`);
      await page.evaluate(
        ([key, secret]) => sessionStorage.setItem(key, JSON.stringify({ confirmSecret: secret, startedAt: Date.now() })),
        [`fathom-oauth:attempt:${DEMO_TEAM_ID}`, confirmSecret],
      );
      // Capture the landing (the page removes the pending id from its address bar).
      const callbackAnswer = page.waitForResponse((r) => r.url().includes('/functions/v1/fathom-oauth-callback'));
      await page.goto(authUrl);
      await page.getByRole('button', { name: 'Authorize' }).click();
      const landing = new URL((await callbackAnswer).headers()['location'] ?? '');
      expect(landing.searchParams.get('status'), who).toBe('pending');
      await page.getByText(/Fathom authorized|Couldn't connect Fathom/).waitFor();
      const pendingId = new URLSearchParams(landing.hash.slice(1)).get('pending');
      expect(pendingId, who).toMatch(/^[A-Za-z0-9_-]{43}$/);

      // Everything forwarded plus what this browser received, with its own session (or none): refused.
      const answer = await callFunction('oauth-confirm', token, { pendingId, confirmSecret });
      expect(answer.status, who).toBe(token ? 400 : 401);
      // The initiator holds the secret but never saw the pending id: a guess is refused too.
      const guess = await callFunction('oauth-confirm', adminToken, { pendingId: 'x'.repeat(43), confirmSecret });
      expect(guess.status).toBe(400);

      const row = await storedFathomRow();
      expect(row?.status ?? 'disconnected', who).toBe('disconnected');
      expect(row?.access_token_encrypted ?? null, who).toBeNull();
      await other.close();
    }
    await initiator.close();
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
