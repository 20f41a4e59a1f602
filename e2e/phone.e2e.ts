// Issue 10 "No navigation on a phone" and "Phone layouts overlap": at 390x844 the menu sheet reaches every section,
// and no page is wider than the screen or puts one control on another. Every page is also screenshot at 390x844 and
// 1440x900 into test-results/screens/ to be looked at (the layout checks here cannot judge looks).
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, signIn } from './support/browser';
import { ADMIN, DEMO_TEAM_ID, stack, withDb } from './support/stack';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const SCREENS_DIR = 'test-results/screens';
const LEAD_ID = 'c0000000-0000-4000-8000-000000000001'; // Jane Doe (supabase/seed.sql)
const MEETING_ID = 'b0000000-0000-4000-8000-0000000f0e01';
// Long words on purpose: a title that cannot wrap between words must still not run under the actions.
const MEETING_TITLE = 'Quarterly pricing and procurement walkthrough with Acme Incorporated (phone layout)';
const team = `/teams/${DEMO_TEAM_ID}`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENS_DIR, { recursive: true });
  await withDb(async (sql) => {
    await sql`
      insert into public.meetings (id, team_id, provider_meeting_id, title, recording_start_time, recording_end_time,
        scheduled_start_time, invitees, content_status, summary_markdown, url, share_url, language, source)
      values (${MEETING_ID}, ${DEMO_TEAM_ID}, 990202, ${MEETING_TITLE}, now() - interval '1 day',
        now() - interval '1 day' + interval '30 minutes', now() - interval '1 day',
        ${JSON.stringify([{ name: 'Jane Doe', email: 'jane.doe@acme.example', email_domain: 'acme.example', is_external: true }])}::text::jsonb,
        'complete', ${'## Summary\n- Budget approved.'}, 'https://fathom.video/calls/990202',
        'https://fathom.video/share/phone-layout', 'en', 'backfill')
      on conflict (id) do nothing`;
    await sql`insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email)
              values (${MEETING_ID}, ${LEAD_ID}, ${DEMO_TEAM_ID}, 'jane.doe@acme.example') on conflict do nothing`;
  });
});
afterAll(async () => {
  await browser?.close();
  await withDb(async (sql) => {
    await sql`delete from public.meeting_leads where meeting_id = ${MEETING_ID}`;
    await sql`delete from public.meetings where id = ${MEETING_ID}`;
  });
});

async function phonePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await signIn(page, ADMIN);
  return page;
}

describe('phone navigation (390x844)', () => {
  it('reaches Leads and Meetings from Integrations through the menu, which then closes', async () => {
    const page = await phonePage();
    await page.goto(`${stack.webUrl}${team}/settings/integrations`);
    await page.getByTestId('integration-fathom').waitFor();
    // the desktop sidebar is hidden at this width: the menu is the way
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);

    const menu = page.getByRole('button', { name: 'Menu', exact: true });
    await menu.click();
    const sheet = page.getByRole('dialog', { name: 'Menu' });
    await sheet.getByRole('link', { name: 'Leads' }).click();
    await page.getByRole('link', { name: 'Jane Doe' }).first().waitFor();
    expect(new URL(page.url()).pathname).toBe(`${team}/leads`);
    await sheet.waitFor({ state: 'detached' });

    await menu.click();
    await sheet.getByRole('button', { name: 'User menu' }).waitFor();
    // the team switcher's own menu opens above the sheet and closes back into it
    await sheet.getByRole('button', { name: /switch team/ }).click();
    await page.getByRole('menuitemradio', { name: /Demo Team/ }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    await sheet.waitFor();
    await page.screenshot({ path: `${SCREENS_DIR}/menu-sheet-390.png` });
    await sheet.getByRole('link', { name: 'Meetings' }).click();
    await page.getByRole('link', { name: MEETING_TITLE }).first().waitFor();
    expect(new URL(page.url()).pathname).toBe(`${team}/meetings`);
    await sheet.waitFor({ state: 'detached' });

    // Esc closes it and focus is back on the menu button
    await menu.click();
    await sheet.waitFor();
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.context().close();
  });
});

interface Screen {
  name: string;
  path: string;
  ready: (page: Page) => Locator;
}
const SCREENS: Screen[] = [
  { name: 'integrations', path: `${team}/settings/integrations`, ready: (p) => p.getByTestId('integration-fathom') },
  { name: 'leads', path: `${team}/leads`, ready: (p) => p.getByRole('link', { name: 'Jane Doe' }).first() },
  { name: 'meetings', path: `${team}/meetings`, ready: (p) => p.getByRole('link', { name: MEETING_TITLE }).first() },
  { name: 'lead', path: `${team}/leads/${LEAD_ID}`, ready: (p) => p.getByRole('link', { name: MEETING_TITLE }).first() },
  { name: 'meeting', path: `${team}/meetings/${MEETING_ID}`, ready: (p) => p.getByRole('button', { name: 'Copy share link' }) },
  { name: 'members', path: `${team}/members`, ready: (p) => p.getByRole('combobox', { name: 'Role of Max Member' }) },
];

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Boxes of the page's h1 text (its line boxes, via a Range) and of every visible button and link in <main>. */
async function titleAndControls(page: Page) {
  return page.evaluate(() => {
    const h1 = document.querySelector('main h1');
    const range = document.createRange();
    if (h1) range.selectNodeContents(h1);
    const title = h1 ? [...range.getClientRects()].map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })) : [];
    const controls = [...document.querySelectorAll('main button, main a[href]')]
      .filter((el) => !h1?.contains(el) && !el.contains(h1))
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { name: (el.textContent ?? '').trim().slice(0, 40), box: { x: r.x, y: r.y, width: r.width, height: r.height } };
      })
      .filter((c) => c.box.width > 0 && c.box.height > 0);
    return { title, controls, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth };
  });
}

describe('phone layouts (390x844), with screenshots at both sizes', () => {
  for (const viewport of [PHONE, DESKTOP]) {
    it(`every page fits ${viewport.width} px and no control sits on the page title`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const problems: string[] = [];
      await page.goto(`${stack.webUrl}/sign-in`);
      await page.getByRole('button', { name: /sign in/i }).waitFor();
      await page.screenshot({ path: `${SCREENS_DIR}/sign-in-${viewport.width}.png`, fullPage: true });
      const signInPage = await titleAndControls(page);
      if (signInPage.scrollWidth > signInPage.innerWidth) problems.push(`sign-in: page is ${signInPage.scrollWidth} px wide`);
      await signIn(page, ADMIN);
      for (const screen of SCREENS) {
        await page.goto(`${stack.webUrl}${screen.path}`);
        await screen.ready(page).waitFor();
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: `${SCREENS_DIR}/${screen.name}-${viewport.width}.png`, fullPage: true });
        const { title, controls, scrollWidth, innerWidth } = await titleAndControls(page);
        if (scrollWidth > innerWidth) problems.push(`${screen.name}: page is ${scrollWidth} px wide on a ${innerWidth} px screen`);
        for (const c of controls) {
          if (title.some((t) => overlaps(t, c.box))) problems.push(`${screen.name}: "${c.name}" sits on the title`);
        }
      }
      await context.close();
      expect(problems).toEqual([]);
    });
  }
});
