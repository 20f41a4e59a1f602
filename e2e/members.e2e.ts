// Issue 10 "Team members", walked in Chromium at 1440x900 and 390x844: the admin invites an address that has no
// account; that person signs up and confirms the address (support/auth.ts), signs in, sees the invitation on the
// no-team screen and joins; the admin then makes them an admin and removes them, with a toast after each step.
// An invite alone never makes anyone a member (security review 10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { signUpAndConfirm } from './support/auth';
import { launchBrowser, signIn } from './support/browser';
import { ADMIN, DEMO_TEAM_ID, OUTSIDER, stack, withDb } from './support/stack';

const team = `/teams/${DEMO_TEAM_ID}`;
const PASSWORD = 'invitee-password-1';
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

let browser: Browser;

async function cleanUp() {
  await withDb(async (sql) => {
    await sql`delete from public.team_invites where email ilike 'e2e-invitee-%'`;
    await sql`delete from auth.users where email ilike 'e2e-invitee-%'`;
    await sql`delete from public.teams where name = 'E2E Created Team'`;
  });
}

beforeAll(async () => {
  browser = await launchBrowser();
  await cleanUp();
});
afterAll(async () => {
  await browser?.close();
  await cleanUp();
});

const isFocused = (page: Page, selector: string) =>
  page.evaluate((s) => document.activeElement === document.querySelector(s), selector);

describe('team members', () => {
  for (const viewport of VIEWPORTS) {
    it(`invite a new address, they sign up, confirm and join, then role change and removal (${viewport.width} px)`, async () => {
      const email = `e2e-invitee-${viewport.width}@example.com`;
      const name = `Ivy Invitee ${viewport.width}`;
      const adminContext = await browser.newContext({ viewport });
      const admin = await adminContext.newPage();
      await signIn(admin, ADMIN);
      await admin.goto(`${stack.webUrl}${team}/members`);
      await admin.getByRole('heading', { name: /members/ }).first().waitFor();

      // 1. invite: a pending invite, listed with Revoke; the field is emptied and keeps focus
      await admin.getByLabel('E-mail', { exact: true }).fill(email.toUpperCase());
      await admin.getByLabel('Role', { exact: true }).selectOption('member');
      await admin.getByRole('button', { name: 'Invite', exact: true }).click();
      await admin.getByText(`Invitation sent to ${email.toUpperCase()}: they join when they accept it`).waitFor();
      await admin.getByRole('button', { name: `Revoke the invite for ${email.toUpperCase()}` }).waitFor();
      expect(await isFocused(admin, '#invite-email')).toBe(true);
      // the same address again, in another spelling: a clear refusal, nothing added
      await admin.getByLabel('E-mail', { exact: true }).fill(` ${email} `);
      await admin.getByRole('button', { name: 'Invite', exact: true }).click();
      await admin.getByRole('alert').filter({ hasText: 'This e-mail address has already been invited.' }).waitFor();

      // 2. the invitee signs up, confirms and signs in: the invitation waits on the no-team screen; Join opens the team
      await signUpAndConfirm(email, PASSWORD, name);
      const inviteeContext = await browser.newContext({ viewport });
      const invitee = await inviteeContext.newPage();
      await invitee.goto(`${stack.webUrl}/sign-in`);
      await invitee.getByLabel(/email/i).fill(email);
      await invitee.getByLabel(/password/i).fill(PASSWORD);
      await invitee.getByRole('button', { name: /sign in/i }).click();
      const invitation = invitee.getByRole('region', { name: "You're invited to a team" });
      await invitation.getByText('Demo Team', { exact: true }).waitFor();
      await invitation.getByText(/Join as a member · invited by/).waitFor();
      expect(await withDb((sql) => sql`
        select 1 from public.team_members m join auth.users u on u.id = m.user_id
         where m.team_id = ${DEMO_TEAM_ID} and u.email = ${email}`)).toHaveLength(0);
      await invitation.getByRole('button', { name: 'Join Demo Team' }).click();
      await invitee.getByText('You joined Demo Team').waitFor();
      await invitee.waitForURL((url) => url.pathname === `${team}/settings/integrations`);
      await invitee.getByTestId('integration-fathom').waitFor();
      await inviteeContext.close();

      // 3. the admin sees them as a member and makes them an admin
      await admin.reload();
      const role = admin.getByRole('combobox', { name: `Role of ${name}` });
      await role.waitFor();
      expect(await role.inputValue()).toBe('member');
      expect(await admin.getByRole('button', { name: `Revoke the invite for ${email.toUpperCase()}` }).count()).toBe(0);
      await role.selectOption('admin');
      await admin.getByText(`${name} is now admin`).waitFor();
      const [row] = await withDb((sql) => sql`
        select m.role from public.team_members m join auth.users u on u.id = m.user_id
         where m.team_id = ${DEMO_TEAM_ID} and u.email = ${email}`);
      expect(row?.role).toBe('admin');

      // 4. and removes them: confirmation, toast, the row is gone, focus on the list's heading
      await admin.getByRole('button', { name: `Remove ${name}` }).click();
      const dialog = admin.getByRole('alertdialog');
      await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
      await admin.getByText(`${name} was removed from Demo Team`).waitFor();
      await admin.getByRole('combobox', { name: `Role of ${name}` }).waitFor({ state: 'detached' });
      expect(await isFocused(admin, '#members-heading')).toBe(true);
      const width = await admin.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(viewport.width);
      await adminContext.close();
    });
  }

  it('someone in no team creates one on a phone and lands in it as its owner', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      await signIn(page, OUTSIDER);
      await page.getByRole('heading', { name: "You're not a member of any team yet" }).waitFor();
      await page.getByLabel('Team name').fill('E2E Created Team');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.getByText("E2E Created Team created. You're its owner.").waitFor();
      await page.waitForURL((url) => /^\/teams\/[0-9a-f-]{36}\/settings\/integrations$/.test(url.pathname));
      const teamId = new URL(page.url()).pathname.split('/')[2];
      await page.goto(`${stack.webUrl}/teams/${teamId}/members`);
      expect(await page.getByRole('combobox', { name: 'Role of Olga Outsider' }).inputValue()).toBe('owner');
      await page.getByRole('heading', { name: 'Invite by e-mail' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await context.close();
      await cleanUp();
    }
  });
});
