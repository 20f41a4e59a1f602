// Issue 10 "Integration activity": the Fathom dialog's Activity section at 1440x900 and 390x844: what needs
// attention (Retry for admins only), the import history and the deliveries received; fits the phone's width, no
// serious or critical axe violation, and Retry of a failed delivery imports it. Screenshots go to
// test-results/screens/ to be looked at.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn } from './support/browser';
import { runAxe } from './support/axe';
import { ADMIN, DEMO_TEAM_ID, MEMBER, resetDemoIntegrations, stack, withDb } from './support/stack';

const SCREENS_DIR = 'test-results/screens';
const INTEGRATION_ID = 'd0000000-0000-4000-8000-00000000ac71';
const FAILED_MEETING_ID = 'b0000000-0000-4000-8000-00000000ac71';
const FAILED_MEETING_TITLE = 'Globex negotiation with a title long enough to wrap on a phone screen';
const DELIVERED_RECORDING = 990_707;
const DELIVERED_TITLE = 'Delivered by webhook, given up on';

/** A Fathom meeting as a webhook delivers it, complete, so importing it asks Fathom nothing. */
const deliveredMeeting = {
  title: DELIVERED_TITLE,
  meeting_title: null,
  recording_id: DELIVERED_RECORDING,
  url: `https://fathom.video/calls/${DELIVERED_RECORDING}`,
  share_url: `https://fathom.video/share/${DELIVERED_RECORDING}`,
  created_at: '2026-11-29T10:00:00Z',
  recording_start_time: '2026-11-29T09:00:00Z',
  recording_end_time: '2026-11-29T09:30:00Z',
  calendar_invitees: [{ name: 'Jane Doe', email: 'jane.doe@acme.example', email_domain: 'acme.example', is_external: true }],
  recorded_by: { name: 'Sandy Sandbox', email: 'sandy@sandbox.fathom.test', email_domain: 'sandbox.fathom.test' },
  transcript: [{ speaker: { display_name: 'Jane Doe' }, text: 'Hello', timestamp: '00:00:01' }],
  default_summary: { template_name: 'general', markdown_formatted: '## Summary' },
  action_items: [],
};

let browser: Browser;

/**
 * The state an import and the webhook inbox leave behind, arranged directly: a connected Fathom, one completed run
 * that had a problem, a meeting whose content failed, a delivery the inbox gave up on (the body kept) and one imported.
 */
async function arrange() {
  await resetDemoIntegrations();
  await withDb(async (sql) => {
    await sql`delete from public.meetings where team_id = ${DEMO_TEAM_ID}
                and (id = ${FAILED_MEETING_ID} or provider_meeting_id = ${String(DELIVERED_RECORDING)})`;
    const [admin] = await sql`select id from auth.users where email = ${ADMIN}`;
    await sql`insert into public.team_integrations (id, team_id, provider, status, account_name, account_email, scopes,
                connected_by, connected_at, webhook_id)
              values (${INTEGRATION_ID}, ${DEMO_TEAM_ID}, 'fathom', 'connected', 'Sandy Sandbox',
                      'sandy@sandbox.fathom.test', '{public_api}', ${admin.id}, now() - interval '1 day', 'wh_e2e')`;
    await sql`insert into public.integration_syncs (integration_id, team_id, status, stage, started_at, finished_at,
                last_synced_at, listed_count, linked_count, content_total, content_done, content_failed, last_error,
                last_error_at)
              values (${INTEGRATION_ID}, ${DEMO_TEAM_ID}, 'failed', 'content', now() - interval '2 hours',
                      null, null, 40, 6, 40, 38, 1, 'fathom_http_503', now() - interval '1 hour')`;
    await sql`insert into public.meetings (id, team_id, integration_id, provider_meeting_id, title, recording_start_time,
                content_status, content_attempts, content_last_error, source)
              values (${FAILED_MEETING_ID}, ${DEMO_TEAM_ID}, ${INTEGRATION_ID}, 990706, ${FAILED_MEETING_TITLE},
                      now() - interval '3 days', 'failed', 3, 'http_404', 'backfill')`;
    await sql`insert into public.webhook_deliveries (integration_id, team_id, webhook_message_id, recording_id, status,
                body, attempts, last_error, processed_at, received_at)
              values (${INTEGRATION_ID}, ${DEMO_TEAM_ID}, 'msg_e2e_failed', ${DELIVERED_RECORDING}, 'failed',
                      ${JSON.stringify(deliveredMeeting)}, 6, 'PostgresError (57P01)', now(), now() - interval '10 minutes')`;
  });
}

beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENS_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await withDb(async (sql) => {
    await sql`delete from public.meetings where team_id = ${DEMO_TEAM_ID}
                and (id = ${FAILED_MEETING_ID} or provider_meeting_id = ${String(DELIVERED_RECORDING)})`;
  });
  await resetDemoIntegrations();
});

async function openActivity(page: Page, email: string) {
  await signIn(page, email);
  // no sidebar on a phone: straight to the page (the menu sheet's way there is phone.e2e.ts's)
  await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/settings/integrations`);
  await page.getByTestId('integration-fathom').getByRole('button').last().click();
  const dialog = page.getByRole('dialog');
  const activity = dialog.getByRole('region', { name: 'Activity' });
  await activity.getByText(FAILED_MEETING_TITLE).waitFor();
  return { dialog, activity };
}

/** Anything wider than the screen: the document, or the dialog scrolling sideways. */
async function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const dialog = document.querySelector('[role="dialog"]') as HTMLElement | null;
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) {
      problems.push(`page is ${document.documentElement.scrollWidth} px wide on ${window.innerWidth}`);
    }
    if (dialog && dialog.scrollWidth > dialog.clientWidth + 1) problems.push(`dialog scrolls sideways (${dialog.scrollWidth})`);
    if (dialog && dialog.getBoundingClientRect().right > window.innerWidth + 1) problems.push('dialog runs off the screen');
    return problems;
  });
}

describe('integration activity', () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
    it(`shows what needs attention, the history and the deliveries at ${viewport.width} px; an admin's Retry imports`, async () => {
      await arrange();
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const { dialog, activity } = await openActivity(page, ADMIN);

      await activity.getByText('Import history').click();
      await activity.getByText('Stopped: Fathom had a server error.').waitFor();
      await activity.getByText('40 listed · 6 linked to leads · content 38 of 40 · 1 failed').waitFor();
      await activity.getByText('Deliveries received').click();
      await activity.locator('[data-delivery-result="failed"]').waitFor();
      expect(await activity.getByText('msg_e2e_failed').count()).toBe(0); // the provider's message id is not shown

      await dialog.getByRole('heading', { name: 'Activity' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENS_DIR}/integration-activity-${viewport.width}.png`, fullPage: true });
      expect(await sidewaysOverflow(page)).toEqual([]);
      const blocking = (await runAxe(page)).filter((f) => f.impact === 'critical' || f.impact === 'serious');
      expect(blocking.map((f) => `${f.rule} ${f.target}: ${f.detail}`)).toEqual([]);

      // Retry the delivery: it is imported, and leaves the list
      await activity.getByRole('button', { name: `Retry Recording ${DELIVERED_RECORDING}` }).click();
      // Imported by this Retry, or by the every-minute sweep that took the delivery the moment Retry released it
      // (then Retry answers "Already being retried." and the sweep imports it): the end state is the same. Said by a
      // toast: the row (and its status line) leaves the list as soon as the activity is re-read.
      await page.getByText(/^Retry: (Imported\.|Already being retried\.)$/).waitFor();
      await activity.getByRole('button', { name: `Retry Recording ${DELIVERED_RECORDING}` }).waitFor({ state: 'detached' });
      await activity.locator('[data-delivery-result="imported"]').getByRole('link', { name: DELIVERED_TITLE }).waitFor();
      await context.close();
    });
  }

  it('a member sees the list without Retry (390 px)', async () => {
    await arrange();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const { activity } = await openActivity(page, MEMBER);
    await activity.getByText('Only team owners and admins can retry.').waitFor();
    expect(await activity.getByRole('button', { name: /^Retry/ }).count()).toBe(0);
    await context.close();
  });
});
