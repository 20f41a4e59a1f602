// Issue 11 scenario: an admin creates "Tasks from action items" and "Post the summary to Slack" from the starter
// templates, dry-runs one on a meeting, turns both on, connects Slack; a recording with a lead attending is simulated
// in the Fathom sandbox; its action items become tasks on the lead's page and its summary is posted in the sandbox's
// Slack. Real Chromium against the local stack (the automation runner runs in it like fathom-sync), desktop and phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openSection, scrollsSideways, signIn } from './support/browser';
import { runAxe } from './support/axe';
import { ADMIN, DEMO_TEAM_ID, resetDemoIntegrations, sandbox, stack, withDb } from './support/stack';

let browser: Browser;

const VIEWPORTS = [
  { label: '1440x900', size: { width: 1440, height: 900 } },
  { label: '390x844', size: { width: 390, height: 844 } },
];
const JANE = 'jane.doe@acme.example'; // a lead of the demo team (supabase/seed.sql)

async function resetAutomations() {
  await withDb(async (sql) => {
    await sql`delete from public.automation_rules where team_id = ${DEMO_TEAM_ID}`;
    await sql`delete from public.automation_endpoints where team_id = ${DEMO_TEAM_ID}`;
  });
}

beforeAll(async () => {
  browser = await launchBrowser();
  await resetAutomations();
  await resetDemoIntegrations();
});
afterAll(async () => {
  await browser?.close();
  await resetAutomations();
  await resetDemoIntegrations();
});

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function connectThroughPopup(page: Page, provider: 'fathom' | 'slack') {
  await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/settings/integrations`);
  await page.getByRole('heading', { name: /integrations/i }).first().waitFor();
  await page.getByTestId(`integration-${provider}`).getByRole('button').first().click();
  const dialog = page.getByRole('dialog');
  const popupOpened = page.waitForEvent('popup');
  await dialog.getByRole('button', { name: provider === 'fathom' ? 'Connect Fathom' : 'Connect Slack' }).click();
  const popup = await popupOpened;
  if (provider === 'slack') await popup.getByLabel('Post to').selectOption({ label: '#sales' });
  const closed = popup.waitForEvent('close', { timeout: 15_000 });
  await popup.getByRole('button', { name: provider === 'fathom' ? 'Authorize' : 'Allow' }).click();
  await closed;
  await dialog.getByText(provider === 'fathom' ? 'Fathom connected' : 'Slack connected').waitFor();
  await page.keyboard.press('Escape');
}

/** Fathom connected and its first import finished (its meetings linked while no rule was on: no runs from them). */
async function fathomImported(page: Page) {
  await connectThroughPopup(page, 'fathom');
  await until('the Fathom import', () =>
    withDb(async (sql) => {
      const [row] = await sql`select status from public.integration_syncs where team_id = ${DEMO_TEAM_ID}`;
      return row?.status === 'completed';
    }),
  );
}

async function axeClean(page: Page, where: string) {
  await page.waitForLoadState('networkidle');
  const serious = (await runAxe(page)).filter((f) => f.impact === 'serious' || f.impact === 'critical');
  expect(serious.map((f) => `${where}: ${f.rule} ${f.target}`)).toEqual([]);
}

/**
 * Creates a rule from a starter template (through the editor, saved turned off): from the list's starters on the
 * first visit, else through "New automation"; resolves with its id.
 */
async function createFromStarter(page: Page, title: string, { first }: { first: boolean }): Promise<string> {
  await openSection(page, /automations/i);
  if (first) {
    await page.getByRole('list', { name: 'Starter templates' }).getByRole('link', { name: `Use this template: ${title}` }).click();
  } else {
    await page.getByRole('link', { name: 'New automation' }).click();
    await page.getByRole('link', { name: title }).click();
  }
  await expect.poll(() => page.getByLabel('Name').inputValue()).toBe(title);
  await page.getByRole('button', { name: 'Save, turned off' }).click();
  const status = page.getByText(/^Version 1, published just now/);
  await status.waitFor();
  await expect.poll(() => status.evaluate((el) => el === document.activeElement)).toBe(true);
  return new URL(page.url()).pathname.split('/').pop()!;
}

describe.each(VIEWPORTS)('automations at $label', ({ size }) => {
  it('starter rules, a dry run, then a recorded call makes tasks on the lead and posts to Slack', async () => {
    await resetAutomations();
    await resetDemoIntegrations();
    await sandbox('/slack/_sandbox/reset', { method: 'POST' });
    const context = await browser.newContext({ viewport: size });
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await fathomImported(page);

    // first visit: the two starters
    await openSection(page, /automations/i);
    await page.getByRole('list', { name: 'Starter templates' }).waitFor();
    await axeClean(page, 'automations list');
    expect(await scrollsSideways(page)).toBe(false);

    const tasksRule = await createFromStarter(page, 'Tasks from action items', { first: true });
    await axeClean(page, 'editor');
    expect(await scrollsSideways(page)).toBe(false);

    // dry run of the draft on a meeting with a lead: nothing written
    const tasksBefore = await withDb((sql) => sql`select count(*)::int as n from public.tasks where team_id = ${DEMO_TEAM_ID}`);
    const panel = page.locator('section', { has: page.getByRole('heading', { name: 'Test', exact: true }) });
    const meeting = panel.getByLabel('Meeting');
    await expect.poll(() => meeting.locator('option').count()).toBeGreaterThan(0);
    const withLead = await meeting.locator('option', { hasText: /·.*·/ }).first().getAttribute('value');
    if (withLead) await meeting.selectOption(withLead);
    await panel.getByRole('button', { name: 'Test', exact: true }).click();
    const result = panel.getByTestId('test-result');
    await result.waitFor();
    await result.getByText(/1\. Create tasks from action items/).waitFor();
    await result.getByText(/^Would create /).waitFor(); // "Would create 3 tasks for the team on Jane Doe's lead page, due in 3 days."
    await axeClean(page, 'editor with a test result');
    const tasksAfter = await withDb((sql) => sql`select count(*)::int as n from public.tasks where team_id = ${DEMO_TEAM_ID}`);
    expect(tasksAfter[0].n).toBe(tasksBefore[0].n);

    const slackRule = await createFromStarter(page, 'Post the summary to Slack', { first: false });

    // turn both on from the list
    await openSection(page, /automations/i);
    for (const name of ['Tasks from action items', 'Post the summary to Slack']) {
      const toggle = page.getByRole('switch', { name: `${name}: off` });
      await toggle.click();
      await page.getByRole('switch', { name: `${name}: on` }).waitFor();
    }
    const enabled = await withDb(
      (sql) => sql`select count(*)::int as n from public.automation_rules where id in (${tasksRule}, ${slackRule}) and enabled`,
    );
    expect(enabled[0].n).toBe(2);

    await connectThroughPopup(page, 'slack');

    // a call with Jane, recorded in the sandbox and delivered by webhook
    const title = `E2E automation call ${Date.now()}`;
    const recording = await sandbox('/_sandbox/recordings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user_email: 'sandy@sandbox.fathom.test',
        title,
        invitees: [{ name: 'Jane Doe', email: JANE }],
        summary_ready: true,
      }),
    });
    expect(recording.deliveries.map((d: { status: number }) => d.status)).toContain(200);

    // both rules run on it (the stack's runner), each once
    const runs = await until('both runs to succeed', () =>
      withDb(async (sql) => {
        const rows = await sql`
          select r.rule_id, r.status from public.automation_runs r
            join public.meetings m on m.id = r.meeting_id
           where m.provider = 'fathom' and m.provider_meeting_id = ${String(recording.recording_id)}`;
        return rows.length === 2 && rows.every((r) => r.status === 'succeeded') ? rows : null;
      }),
    );
    expect(new Set(runs.map((r) => r.rule_id))).toEqual(new Set([tasksRule, slackRule]));

    // the message in the sandbox's Slack
    const { messages } = await sandbox('/slack/_sandbox/messages');
    const posted = messages.filter((m: { body: unknown }) => JSON.stringify(m.body).includes(title));
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0].body)).toContain('Jane Doe');
    // the summary's markdown as Slack mrkdwn (no literal "## Summary") and a link back to the meeting in the CRM
    expect(JSON.stringify(posted[0].body)).not.toContain('##');
    expect(JSON.stringify(posted[0].body)).toMatch(/<http[^|>]*\/teams\/[^|>]*\/meetings\/[^|>]*\|Open in Team CRM>/);

    // the tasks on Jane's page
    await openSection(page, /leads/i);
    await page.getByRole('link', { name: 'Jane Doe' }).first().click();
    await page.getByRole('heading', { name: 'Jane Doe' }).first().waitFor();
    await page.getByText(/Review pricing with/).first().waitFor();

    // the run log shows both, green, with a step card per action
    await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/automations/runs`);
    await page.getByRole('heading', { name: 'Run log' }).waitFor();
    const rows = page.getByTestId('run-row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    await rows.filter({ hasText: 'Post the summary to Slack' }).first().getByRole('link').click();
    await page.getByTestId('step-card').first().waitFor();
    await page.getByTestId('step-card').first().getByText('Succeeded').waitFor();
    await axeClean(page, 'run detail');
    expect(await scrollsSideways(page)).toBe(false);
    await context.close();
  });
});
