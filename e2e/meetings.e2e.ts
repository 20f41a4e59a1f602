// Issue "Fathom meetings flow into the CRM": a recording made in (simulated by) the Fathom sandbox reaches the
// right lead's page by webhook, with its summary and transcript.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openIntegrations, openSection, scrollsSideways, signIn } from './support/browser';
import { ADMIN, DEMO_TEAM_ID, resetDemoIntegrations, sandbox, stack, withDb } from './support/stack';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  await resetDemoIntegrations();
});
afterAll(async () => {
  await browser?.close();
  await resetDemoIntegrations();
});

async function connectFathom(page: Page) {
  await openIntegrations(page);
  await page.getByTestId('integration-fathom').getByRole('button').click();
  const dialog = page.getByRole('dialog');
  const popupOpened = page.waitForEvent('popup');
  await dialog.getByRole('button', { name: 'Connect Fathom' }).click();
  const popup = await popupOpened;
  const closed = popup.waitForEvent('close', { timeout: 15_000 });
  await popup.getByRole('button', { name: 'Authorize' }).click();
  await closed;
  await dialog.getByText('Fathom connected').waitFor();
  await page.keyboard.press('Escape');
}

/** Polls the database until the recording is imported (the webhook imports right after acknowledging). */
async function waitForMeeting(recordingId: number) {
  for (let i = 0; i < 100; i++) {
    const rows = await withDb((sql) => sql`select 1 from public.meetings where provider = 'fathom' and provider_meeting_id = ${String(recordingId)}`);
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`recording ${recordingId} was not imported`);
}

/** Connects Fathom through the popup unless an earlier test of this file left it connected. */
async function ensureFathomConnected(page: Page) {
  const connected = await withDb(
    (sql) => sql`select 1 from public.team_integrations
                  where team_id = ${DEMO_TEAM_ID} and provider = 'fathom' and status = 'connected'`,
  );
  if (connected.length === 0) await connectFathom(page);
}

/**
 * The sandbox records a call with Jane Doe (invited as `janeEmail`) and delivers it by webhook; resolves once it is
 * acknowledged (200).
 */
async function recordCallWithJane(title: string, janeEmail = 'jane.doe@acme.example'): Promise<{ recording_id: number }> {
  const recording = await sandbox('/_sandbox/recordings', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      user_email: 'sandy@sandbox.fathom.test',
      title,
      invitees: [{ name: 'Jane Doe', email: janeEmail }],
      summary_ready: true,
    }),
  });
  // (earlier e2e files may leave webhooks behind at the sandbox whose routes are gone: those answer 404)
  expect(recording.deliveries.map((d: { status: number }) => d.status)).toContain(200);
  return recording;
}

describe('a new Fathom recording', () => {
  it('arrives by webhook on its lead page with summary and transcript, and so does a teammate\'s', async () => {
    const page = await browser.newPage();
    await signIn(page, ADMIN);
    await connectFathom(page);

    // The connection registered a webhook with the sandbox, pointing at our fathom-webhook function.
    const [integration] = await withDb(
      (sql) => sql`select webhook_id from public.team_integrations where team_id = ${DEMO_TEAM_ID} and provider = 'fathom'`,
    );
    expect(integration.webhook_id).toBeTruthy();

    const title = `E2E pricing call ${Date.now()}`;
    // Jane's address in other letters than her lead's: matched all the same
    const recording = await recordCallWithJane(title, 'JANE.DOE@acme.example');
    // The webhook acknowledges first and imports right after: the meeting is on the lead within moments.
    await waitForMeeting(recording.recording_id);

    await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/leads`);
    await page.getByRole('link', { name: 'Jane Doe' }).first().click();
    await page.getByRole('list', { name: 'Meetings with Jane Doe' }).getByRole('link', { name: title }).click();

    await page.getByRole('heading', { name: title }).first().waitFor();
    await page.getByRole('heading', { name: 'Summary' }).waitFor();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    // Where it was recorded, named (not just an icon) in the header and the details
    expect(await page.getByTestId('meeting-source').allTextContents()).toEqual(['Source: Fathom', 'Source: Fathom']);
    // The transcript's first line links to the recording at its timestamp.
    const firstTimestamp = page.locator('a[href*="#t="]').first();
    await firstTimestamp.waitFor();
    expect(await firstTimestamp.getAttribute('href')).toMatch(/#t=\d+$/);

    // A teammate of the connected account (same Fathom team) records a call with Jane: it arrives by webhook too
    // (shared_team_recordings), and is on Jane's page.
    await sandbox('/_sandbox/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'terry.teammate@sandbox.fathom.test', name: 'Terry Teammate', team: 'Sales' }),
    });
    const teammateTitle = `E2E teammate call ${Date.now()}`;
    const teammate = await sandbox('/_sandbox/recordings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user_email: 'terry.teammate@sandbox.fathom.test',
        title: teammateTitle,
        invitees: [{ name: 'Jane Doe', email: 'jane.doe@acme.example' }],
        summary_ready: true,
      }),
    });
    expect(teammate.deliveries.map((d: { status: number }) => d.status)).toContain(200);
    await waitForMeeting(teammate.recording_id);
    await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/leads`);
    await page.getByRole('link', { name: 'Jane Doe' }).first().click();
    // the lead page lists it under its meetings (and on the timeline, which may render first or not at all yet)
    await page.getByRole('list', { name: 'Meetings with Jane Doe' }).getByRole('link', { name: teammateTitle }).click();
    await page.getByRole('heading', { name: teammateTitle }).first().waitFor();
    await page.getByText('Terry Teammate').first().waitFor();
    await page.close();
  });

  it('shows up on the open Meetings page without a reload, with a "New meeting from Fathom" toast', async () => {
    const page = await browser.newPage();
    await signIn(page, ADMIN);
    await ensureFathomConnected(page);

    await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/meetings`);
    await page.getByRole('heading', { name: 'Meetings' }).waitFor();
    await page.waitForLoadState('networkidle');

    const title = `E2E live call ${Date.now()}`;
    const recording = await recordCallWithJane(title);
    // no reload, no navigation: the list polls while the tab is visible
    await page.getByRole('link', { name: title }).waitFor();
    await page.getByText(`New meeting from Fathom: ${title}`).waitFor();
    await page.close();
  });

  it('reaches its lead on a phone too: menu, Leads, the lead, the meeting (390x844)', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await ensureFathomConnected(page);

    const title = `E2E phone call ${Date.now()}`;
    const recording = await recordCallWithJane(title);
    await waitForMeeting(recording.recording_id);

    await openSection(page, /^leads$/i);
    await page.getByRole('link', { name: 'Jane Doe' }).filter({ visible: true }).first().click();
    // the lead's meetings list, not the timeline, which links the same meeting once it has loaded
    await page.getByRole('list', { name: 'Meetings with Jane Doe' }).getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title }).first().waitFor();
    await page.getByRole('heading', { name: 'Summary' }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await context.close();
  });
});
