// Issue 12 (Typeform): an admin connects Typeform through the popup (the sandbox's consent page), switches a form on
// in the dialog (the webhook is created at the sandbox, past responses are imported), a response submitted in the
// sandbox reaches typeform-webhook signed, and its lead is on the Leads page with the answers on its timeline. Real
// Chromium against the real local stack and the sandbox family.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { runAxe } from './support/axe';
import { launchBrowser, signIn } from './support/browser';
import { ADMIN, DEMO_TEAM_ID, resetDemoIntegrations, sandbox, stack, withDb } from './support/stack';

let browser: Browser;

async function cleanUp() {
  await resetDemoIntegrations();
  await withDb((sql) => sql`delete from public.leads where team_id = ${DEMO_TEAM_ID} and source = 'typeform'`);
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await cleanUp();
});
beforeEach(async () => {
  await cleanUp();
  await sandbox('/typeform/_sandbox/reset', { method: 'POST' });
});

it('connect Typeform, switch a form on, submit in the sandbox, see the lead', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page, ADMIN);
  await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/settings/integrations`);
  await page.getByTestId('integration-typeform').getByRole('button').first().click();
  const dialog = page.getByRole('dialog');

  const popupOpened = page.waitForEvent('popup');
  await dialog.getByRole('button', { name: 'Connect Typeform' }).click();
  const popup = await popupOpened;
  const popupClosed = popup.waitForEvent('close', { timeout: 15_000 });
  await popup.getByRole('button', { name: 'Accept' }).click();
  await popupClosed;

  const forms = dialog.getByRole('list', { name: 'Typeform forms' });
  await forms.waitFor({ timeout: 15_000 });
  // the first switch-on opens the guessed mapping with what will happen, focus on its first field
  const toggle = dialog.getByRole('switch', { name: 'Create leads from responses for Contact us' });
  await toggle.click();
  await dialog.getByText(/Each new response becomes a lead .* past responses? will be imported now\./).waitFor({ timeout: 15_000 });
  const email = dialog.getByLabel('E-mail (required)');
  await expect.poll(() => email.evaluate((el) => el === document.activeElement)).toBe(true);
  const serious = (await runAxe(page)).filter((f) => f.impact === 'critical' || f.impact === 'serious');
  expect(serious, JSON.stringify(serious)).toEqual([]);
  await dialog.getByRole('button', { name: 'Switch on' }).click();
  await dialog.getByText(/past responses imported/).waitFor({ timeout: 20_000 });
  expect(await toggle.isChecked()).toBe(true);
  expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);

  const { webhooks } = await sandbox('/typeform/_sandbox/state');
  expect(webhooks).toBe(1);
  const address = `e2e-${Date.now()}@typeform.example`;
  const sent = await sandbox('/typeform/_sandbox/submit', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ form_id: 'cT1cXk9a', answers: { email: address, name: 'Tyra Formsby', company: 'Forms Inc', message: 'A demo, please' } }),
  });
  expect(sent.deliveries.map((d: { status: number }) => d.status)).toEqual([200]);

  await page.goto(`${stack.webUrl}/teams/${DEMO_TEAM_ID}/leads?q=${encodeURIComponent('Tyra Formsby')}`);
  await page.getByRole('link', { name: 'Tyra Formsby' }).first().click();
  await page.getByText('Answered Contact us').waitFor();
  await page.getByText('A demo, please').waitFor();
  await context.close();
});
