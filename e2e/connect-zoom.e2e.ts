// Issue 12, Zoom: an admin connects Zoom through the popup (the sandbox's consent page: pick the account), the
// account kept is Zoom's account id; a recording simulated in the sandbox with a lead attending reaches the app's
// zoom-webhook (validated, signed), is stored once, and is on the lead's page with its transcript; disconnect
// revokes the grant at Zoom. Real Chromium against the real local stack and the sandbox family.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, signIn } from './support/browser';
import { ADMIN, DEMO_TEAM_ID, resetDemoIntegrations, sandbox, stack, withDb } from './support/stack';

let browser: Browser;
const AVERY = { account_id: 'pFHKEJ3bQ1m4yLJDx9NQxw', email: 'avery.host@acme-sales.example' };
const JANE = 'jane.doe@acme.example'; // a lead of the demo team (supabase/seed.sql)

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await resetDemoIntegrations();
});
beforeEach(async () => {
  await resetDemoIntegrations();
  await sandbox('/zoom/_sandbox/reset', { method: 'POST' });
});

const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Zoom', () => {
  it('an admin connects Zoom, a recorded meeting with a lead arrives once with its transcript on the lead, and disconnecting revokes the grant', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/settings/integrations`);
    await page.getByRole('heading', { name: /integrations/i }).first().waitFor();
    await page.getByTestId('integration-zoom').getByRole('button').first().click();
    const dialog = page.getByRole('dialog');

    const popupOpened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Connect Zoom' }).click();
    const popup = await popupOpened;
    await popup.getByLabel('Sign in as').selectOption({ value: 'KDcuGIm1QgePTO8WbOqwIQ' });
    const popupClosed = popup.waitForEvent('close', { timeout: 15_000 });
    await popup.getByRole('button', { name: 'Allow' }).click();
    await popupClosed;
    await dialog.getByText('Zoom connected').waitFor();

    const [row] = await withDb((sql) => sql`
      select status, account_id, account_email, access_token_encrypted, refresh_token_encrypted
        from public.team_integrations where team_id = ${DEMO_TEAM_ID} and provider = 'zoom'`);
    expect(row.status).toBe('connected');
    expect([row.account_id, row.account_email]).toEqual([AVERY.account_id, AVERY.email]);
    expect(row.access_token_encrypted).toMatch(/^v1:/);
    expect(row.refresh_token_encrypted).toMatch(/^v1:/);

    // a recorded meeting with Jane attending: Zoom validates the endpoint, then delivers; a retry stores nothing
    const topic = `E2E Zoom call ${Date.now()}`;
    const simulated = await sandbox('/zoom/_sandbox/recordings', post({ participants: [{ name: 'Jane Doe', email: JANE }], topic, transcript: 'now' }));
    expect(simulated.deliveries.map((d: { event: string; status: number }) => [d.event, d.status])).toEqual([
      ['endpoint.url_validation', 200],
      ['recording.completed', 200],
    ]);
    await sandbox(`/zoom/_sandbox/recordings/${encodeURIComponent(simulated.meeting.uuid)}/redeliver`, post({ event: 'recording.completed' }));
    const deliveries = await withDb((sql) => sql`
      select webhook_message_id, duplicate_count from public.webhook_deliveries where team_id = ${DEMO_TEAM_ID} and provider = 'zoom'`);
    expect(deliveries).toEqual([{ webhook_message_id: `recording.completed:${simulated.meeting.uuid}`, duplicate_count: 1 }]);

    // imported right after the acknowledgement: on Jane's page, with the transcript Zoom wrote (WebVTT)
    for (let i = 0; i < 100; i++) {
      const [meeting] = await withDb((sql) => sql`
        select content_status from public.meetings where team_id = ${DEMO_TEAM_ID} and provider = 'zoom'
           and provider_meeting_id = ${simulated.meeting.uuid}`);
      if (meeting?.content_status === 'complete') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/leads`);
    await page.getByRole('link', { name: 'Jane Doe' }).first().click();
    await page.getByRole('list', { name: 'Meetings with Jane Doe' }).getByRole('link', { name: topic }).click({ timeout: 15_000 });
    await page.getByRole('heading', { name: topic }).first().waitFor();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    await page.getByText('Hello, Jane Doe here. Happy to talk about next steps.').waitFor();
    expect(await page.getByTestId('meeting-source').first().textContent()).toBe('Source: Zoom');
    // in Zoom's words: no Fathom, and no Summary or Action items Zoom never writes
    expect(await page.getByRole('link', { name: 'Open in Zoom' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Summary' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Action items' }).count()).toBe(0);
    expect(await page.getByText(/Fathom/).count()).toBe(0);

    await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/settings/integrations`);
    await page.getByTestId('integration-zoom').getByRole('button').first().click();

    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disconnect' }).click();
    await dialog.getByRole('button', { name: 'Connect Zoom' }).waitFor();
    const { revocations } = await sandbox('/zoom/_sandbox/revocations');
    expect(revocations).toHaveLength(1);
    await context.close();
  });
});
