// Issue 10 "Leads list": sort by a column (desktop: the header; phone: the Sort menu over cards), filter by stage and
// owner, and a reload keeps all of it (it lives in the URL), at 1440x900 and 390x844. The phone's toolbar leaves the
// search box the width of the screen and nothing scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, signIn } from './support/browser';
import { ADMIN, DEMO_TEAM_ID, MEMBER, stack, withDb } from './support/stack';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const STAGE_ORDER = ['New', 'Contacted', 'Qualified', 'Proposal', 'Won', 'Lost'];
const team = `/teams/${DEMO_TEAM_ID}`;
// besides the seed's five (all the admin's): unassigned and the member's leads in other stages
const EXTRA = [
  { id: 'c0000000-0000-4000-8000-0000000e2e01', name: 'Zed Sortable', stage: 'won', owner: null },
  { id: 'c0000000-0000-4000-8000-0000000e2e02', name: 'Amy Sortable', stage: 'new', owner: null },
  { id: 'c0000000-0000-4000-8000-0000000e2e03', name: 'Bob Sortable', stage: 'lost', owner: MEMBER },
];

let browser: Browser;

/** The demo team's leads now (other e2e files may have added some): the unfiltered list's length. */
const leadCount = () =>
  withDb(async (sql) => (await sql`select count(*)::int as n from public.leads where team_id = ${DEMO_TEAM_ID}`)[0].n as number);

beforeAll(async () => {
  browser = await launchBrowser();
  await withDb(async (sql) => {
    for (const lead of EXTRA) {
      await sql`
        insert into public.leads (id, team_id, name, stage, owner_id)
        values (${lead.id}, ${DEMO_TEAM_ID}, ${lead.name}, ${lead.stage},
                (select id from public.profiles where email = ${lead.owner}))
        on conflict (id) do nothing`;
    }
  });
});
afterAll(async () => {
  await browser?.close();
  await withDb((sql) => sql`delete from public.leads where id in ${sql(EXTRA.map((l) => l.id))}`);
});

async function openLeads(viewport: { width: number; height: number }, query = ''): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await signIn(page, ADMIN);
  await page.goto(`${stack.webUrl}${team}/leads${query}`);
  await page.getByRole('link', { name: 'Jane Doe' }).first().waitFor();
  return page;
}

/** Each row's (or card's) text, once the list shows exactly `count` of them. */
async function rowsOf(page: Page, count: number): Promise<string[]> {
  const rows = page.getByTestId('lead-row');
  await expect.poll(() => rows.count()).toBe(count);
  return rows.allInnerTexts();
}

const stageOf = (row: string) => STAGE_ORDER.find((s) => new RegExp(`\\b${s}\\b`).test(row)) ?? '?';
/** The names (each row's one link) once the list shows exactly `count` rows. */
async function namesIn(page: Page, count: number): Promise<string[]> {
  await rowsOf(page, count);
  return page.getByTestId('lead-row').getByRole('link').allInnerTexts();
}

async function waitForQuery(page: Page, expected: Record<string, string>) {
  await expect
    .poll(() => {
      const params = new URL(page.url()).searchParams;
      return Object.fromEntries(Object.keys(expected).map((k) => [k, params.get(k)]));
    })
    .toEqual(expected);
}

describe('the leads list at 1440x900', () => {
  it('sorts by a header (both ways), filters by stage and owner, and a reload keeps all of it', async () => {
    const page = await openLeads(DESKTOP);
    const total = await leadCount();
    const stageHeader: Locator = page.getByRole('columnheader', { name: 'Stage' });
    await stageHeader.getByRole('button').click();
    await expect.poll(() => stageHeader.getAttribute('aria-sort')).toBe('ascending');
    await waitForQuery(page, { sort: 'stage', dir: 'asc' });
    // the URL and the header change at once; the rows follow when the sorted page arrives (same count before)
    const byPipeline = (stages: string[]) => [...stages].sort((a, b) => STAGE_ORDER.indexOf(a) - STAGE_ORDER.indexOf(b));
    await expect.poll(async () => {
      const stages = (await rowsOf(page, total)).map(stageOf);
      return stages.join() === byPipeline(stages).join();
    }).toBe(true);
    const ascending = (await rowsOf(page, total)).map(stageOf);
    expect(ascending[0]).toBe('New');
    expect(ascending.at(-1)).toBe('Lost'); // pipeline order, not alphabetical (Contacted would come first)

    await stageHeader.getByRole('button').click();
    await expect.poll(() => stageHeader.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(async () => (await rowsOf(page, total)).map(stageOf)[0]).toBe('Lost');

    await page.getByRole('searchbox', { name: 'Search leads' }).fill('sortable');
    await expect.poll(() => page.getByTestId('lead-row').count()).toBe(3);
    await page.getByRole('combobox', { name: 'Owner' }).selectOption({ label: 'Unassigned' });
    expect(await namesIn(page, 2)).toEqual(['Zed Sortable', 'Amy Sortable']); // Won, then New
    await page.getByRole('combobox', { name: 'Stage' }).selectOption({ label: 'New' });
    expect(await namesIn(page, 1)).toEqual(['Amy Sortable']);
    await waitForQuery(page, { q: 'sortable', sort: 'stage', dir: 'desc', owner: 'none', stage: 'new' });

    await page.reload();
    expect(await namesIn(page, 1)).toEqual(['Amy Sortable']);
    expect(await page.getByRole('combobox', { name: 'Owner' }).inputValue()).toBe('none');
    expect(await page.getByRole('combobox', { name: 'Stage' }).inputValue()).toBe('new');
    expect(await stageHeader.getAttribute('aria-sort')).toBe('descending');

    // Mine: the signed-in admin's leads (the seed's five, and any another test left), by name
    const mine = await withDb(async (sql) =>
      (await sql`select l.name from public.leads l join public.profiles p on p.id = l.owner_id
                  where l.team_id = ${DEMO_TEAM_ID} and p.email = ${ADMIN}`).map((r) => r.name as string));
    expect(mine).toEqual(expect.arrayContaining(['Jane Doe', 'Li Wei', 'Maria Garcia', 'Raj Patel', 'Tom Baker']));
    await page.getByRole('searchbox', { name: 'Search leads' }).fill('');
    await page.getByRole('combobox', { name: 'Stage' }).selectOption({ label: 'All stages' });
    await page.getByRole('combobox', { name: 'Owner' }).selectOption({ label: 'Mine' });
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    await waitForQuery(page, { owner: 'me', sort: 'name', dir: 'asc' });
    // the filtered list has the same count before and after the sort's page arrives: wait for the order itself
    const byName = [...mine].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    await expect.poll(async () => (await namesIn(page, mine.length)).join('|')).toBe(byName.join('|'));
    await page.screenshot({ path: 'test-results/screens/leads-sorted-1440.png', fullPage: true });
    await page.context().close();
  });
});

describe('the leads list at 390x844', () => {
  it('shows cards with a roomy search, sorts from a menu, filters, and a reload keeps all of it', async () => {
    const page = await openLeads(PHONE);
    const total = await leadCount();
    expect(await page.getByRole('table').count()).toBe(0);
    const search = page.getByRole('searchbox', { name: 'Search leads' });
    const box = await search.boundingBox();
    expect(box!.width).toBeGreaterThan(300); // the search is not squeezed beside the filters
    const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(width[0]).toBeLessThanOrEqual(width[1]);

    await page.getByRole('combobox', { name: 'Sort' }).selectOption({ label: 'Name Z–A' });
    await waitForQuery(page, { sort: 'name', dir: 'desc' });
    await expect.poll(async () => (await namesIn(page, total))[0]).toBe('Zed Sortable');
    const names = await namesIn(page, total);
    expect(names).toEqual([...names].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())));

    await search.fill('sortable');
    await page.getByRole('combobox', { name: 'Owner' }).selectOption({ label: 'Max Member' }); // seed.sql's member
    expect(await namesIn(page, 1)).toEqual(['Bob Sortable']);
    await waitForQuery(page, { q: 'sortable', sort: 'name', dir: 'desc' });
    await page.screenshot({ path: 'test-results/screens/leads-filtered-390.png', fullPage: true });

    await page.reload();
    expect(await namesIn(page, 1)).toEqual(['Bob Sortable']);
    expect(await page.getByRole('searchbox', { name: 'Search leads' }).inputValue()).toBe('sortable');
    expect(await page.getByRole('combobox', { name: 'Sort' }).inputValue()).toBe('name:desc');
    await page.context().close();
  });
});
