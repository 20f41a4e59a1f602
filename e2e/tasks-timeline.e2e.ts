// Issue 11 "CRM objects on screen": ticking a meeting's action item makes a task that the Tasks page and the lead's
// page show; a note and a stage change land on the lead's timeline. At 1440x900 and at 390x844, axe clean (no
// critical or serious violation) and no page wider than the phone.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runAxe } from './support/axe';
import { launchBrowser, openSection, scrollsSideways, signIn } from './support/browser';
import { ADMIN, DEMO_TEAM_ID, stack, withDb } from './support/stack';

const LEAD_ID = 'c0000000-0000-4000-8000-000000000001'; // Jane Doe (supabase/seed.sql)
const team = `/teams/${DEMO_TEAM_ID}`;
// screenshots to look at (the checks here cannot judge looks), as phone.e2e.ts keeps its own
const SCREENS_DIR = 'test-results/screens';

const SCREENS = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, meetingId: 'b0000000-0000-4000-8000-0000000a1101', recordingId: 991101 },
  { name: 'phone', viewport: { width: 390, height: 844 }, meetingId: 'b0000000-0000-4000-8000-0000000a1102', recordingId: 991102 },
];

let browser: Browser;
let originalStage: string;

const actionItem = (screen: string) => `Send Jane the pricing sheet (${screen})`;

beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENS_DIR, { recursive: true });
  await withDb(async (sql) => {
    [{ stage: originalStage }] = await sql`select stage from public.leads where id = ${LEAD_ID}`;
    for (const s of SCREENS) {
      const items = [
        { description: actionItem(s.name), user_generated: false, completed: false, recording_timestamp: '00:01:00',
          recording_playback_url: null, assignee: { name: 'Demo Admin', email: ADMIN, team: null } },
        { description: `Book the follow-up (${s.name})`, user_generated: false, completed: false,
          recording_timestamp: '00:02:00', recording_playback_url: null, assignee: null },
      ];
      await sql`
        insert into public.meetings (id, team_id, provider_meeting_id, title, recording_start_time, recording_end_time,
          scheduled_start_time, invitees, content_status, summary_markdown, action_items, url, share_url, language, source)
        values (${s.meetingId}, ${DEMO_TEAM_ID}, ${s.recordingId}, ${`Pricing call (${s.name})`}, now() - interval '2 hours',
          now() - interval '90 minutes', now() - interval '2 hours',
          ${JSON.stringify([{ name: 'Jane Doe', email: 'jane.doe@acme.example', email_domain: 'acme.example', is_external: true }])}::text::jsonb,
          'complete', ${'## Summary\n- Pricing discussed.'}, ${JSON.stringify(items)}::text::jsonb,
          ${`https://fathom.video/calls/${s.recordingId}`}, null, 'en', 'backfill')
        on conflict (id) do nothing`;
      await sql`insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email)
                values (${s.meetingId}, ${LEAD_ID}, ${DEMO_TEAM_ID}, 'jane.doe@acme.example') on conflict do nothing`;
    }
  });
});

afterAll(async () => {
  await browser?.close();
  await withDb(async (sql) => {
    const ids = SCREENS.map((s) => s.meetingId);
    await sql`delete from public.tasks where meeting_id in ${sql(ids)}`;
    await sql`delete from public.lead_notes where lead_id = ${LEAD_ID} and body like ${'Called Jane (e2e %'}`;
    await sql`delete from public.meeting_leads where meeting_id in ${sql(ids)}`;
    await sql`delete from public.meetings where id in ${sql(ids)}`;
    await sql`update public.leads set stage = ${originalStage} where id = ${LEAD_ID}`;
  });
});

/**
 * Critical or serious axe findings on the page once its transitions are over, as "rule target: detail" lines. (A toast
 * fading out is half transparent for a moment: axe read its text as 1.17:1 contrast.)
 */
async function blockingAxe(page: Page): Promise<string[]> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  return (await runAxe(page))
    .filter((f) => f.impact === 'critical' || f.impact === 'serious')
    .map((f) => `${f.rule} ${f.target}: ${f.detail}`);
}

describe.each(SCREENS)('tasks and the lead timeline ($name)', (s) => {
  it('a ticked action item is a task on the Tasks page and on the lead page; a note and a stage change are on the timeline', async () => {
    const context = await browser.newContext({ viewport: s.viewport });
    const page = await context.newPage();
    await signIn(page, ADMIN);

    // Meeting page: tick the first action item
    await page.goto(`${stack.webUrl}${team}/meetings/${s.meetingId}`);
    const box = page.getByRole('checkbox', { name: actionItem(s.name) });
    await box.waitFor();
    expect(await box.isChecked()).toBe(false);
    await box.check();
    const item = page.getByTestId('action-item').filter({ hasText: actionItem(s.name) });
    await item.getByRole('link', { name: 'Task done' }).waitFor();
    expect(await page.getByRole('checkbox', { name: actionItem(s.name) }).isChecked()).toBe(true);
    await page.screenshot({ path: `${SCREENS_DIR}/tasks-meeting-${s.name}.png`, fullPage: true });
    expect((await blockingAxe(page)).join('\n'), 'meeting page').toBe('');
    expect(await scrollsSideways(page), 'meeting page scrolls sideways').toBe(false);

    // The task's link leads to everyone's done tasks, where it is; unticking it there reopens it
    await item.getByRole('link', { name: 'Task done' }).click();
    await page.getByRole('heading', { name: 'Tasks' }).waitFor();
    const done = page.getByRole('list', { name: 'Done tasks' });
    const taskBox = done.getByRole('checkbox', { name: `Done: ${actionItem(s.name)}` });
    await taskBox.waitFor();
    expect(await taskBox.isChecked()).toBe(true);
    await page.screenshot({ path: `${SCREENS_DIR}/tasks-page-${s.name}.png`, fullPage: true });
    expect((await blockingAxe(page)).join('\n'), 'tasks page').toBe('');
    expect(await scrollsSideways(page), 'tasks page scrolls sideways').toBe(false);
    // a click, not uncheck(): the reopened task leaves the Done list as soon as the list is re-read, and uncheck()
    // would look for its box afterwards
    await taskBox.click();
    await page.getByText('Task reopened').waitFor();
    await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Open' }).click();
    await page.getByRole('list', { name: 'Open tasks' }).getByRole('checkbox', { name: `Done: ${actionItem(s.name)}` }).waitFor();
    // Fathom named the admin as the item's assignee: the task is theirs ("Mine")
    await page.getByRole('group', { name: 'Whose tasks' }).getByRole('button', { name: 'Mine' }).click();
    const mine = page.getByRole('list', { name: 'Open tasks' }).getByTestId('task-row').filter({ hasText: actionItem(s.name) });
    await mine.waitFor();
    expect(await mine.getByTestId('task-assignee').textContent()).not.toContain('Unassigned');

    // The lead page: the open task, and the task on the timeline
    await page.getByRole('list', { name: 'Open tasks' }).getByRole('link', { name: 'Jane Doe' }).first().click();
    await page.getByRole('heading', { name: 'Jane Doe' }).waitFor();
    await page
      .getByRole('list', { name: 'Open tasks for Jane Doe' })
      .getByRole('checkbox', { name: `Done: ${actionItem(s.name)}` })
      .waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByRole('link', { name: actionItem(s.name) }).first().waitFor();

    // Add a note: rendered as markdown on the timeline
    await page.getByLabel('New note').fill(`Called Jane (e2e ${s.name}): **budget confirmed**`);
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = timeline.getByTestId('timeline-note').filter({ hasText: `Called Jane (e2e ${s.name})` });
    await note.locator('strong', { hasText: 'budget confirmed' }).waitFor();

    // Change the stage: the change is on the timeline, newest first
    const stage = page.getByLabel('Stage', { exact: true });
    const from = await stage.inputValue();
    const to = from === 'proposal' ? 'won' : 'proposal';
    await stage.selectOption(to);
    const toLabel = to === 'won' ? 'Won' : 'Proposal';
    const change = timeline.getByRole('listitem').filter({ hasText: new RegExp(`Stage changed from .+ to ${toLabel}`) });
    await change.first().waitFor();
    const first = await timeline.getByRole('listitem').first().textContent();
    expect(first).toMatch(new RegExp(`Stage changed from .+ to ${toLabel}`));
    await page.screenshot({ path: `${SCREENS_DIR}/tasks-lead-${s.name}.png`, fullPage: true });
    expect((await blockingAxe(page)).join('\n'), 'lead page').toBe('');
    expect(await scrollsSideways(page), 'lead page scrolls sideways').toBe(false);

    // The Tasks page is in the navigation (the sidebar, or the menu on a phone)
    await openSection(page, /^Tasks$/);
    await context.close();
  });
});
