// Typeform's limit (2 requests a second) is per Typeform ACCOUNT (providers.md §4, T11): two teams connected to one
// account share one pacer, so together they still go at 2 a second (attacker review 12, section 8: per integration
// they went at 4). An integration whose account is unknown is paced on its own.
import assert from "node:assert/strict";
import { accountPacerFor, pacerFor, pacingKey } from "../_shared/typeform/client.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { createTypeformTeam } from "./typeform_support.ts";

async function connectedTo(accountId: string | null): Promise<string> {
  const { integrationId } = await createTypeformTeam();
  await sql`update public.team_integrations set account_id = ${accountId} where id = ${integrationId}`;
  return integrationId;
}

test("typeform pacing: one pacer per connected Typeform account, shared by the teams on it", async () => {
  const account = `acct-${crypto.randomUUID()}`;
  const [a, b, other, unknown] = [
    await connectedTo(account), await connectedTo(account), await connectedTo(`acct-${crypto.randomUUID()}`), await connectedTo(null),
  ];
  assert.equal(await pacingKey(a), `account:${account}`);
  assert.equal(await accountPacerFor(a), await accountPacerFor(b), "two teams on one account share its pacer");
  assert.notEqual(await accountPacerFor(a), await accountPacerFor(other), "another account has its own");
  assert.equal(await pacingKey(unknown), `integration:${unknown}`);
  assert.equal(await accountPacerFor(unknown), pacerFor(`integration:${unknown}`));
  assert.notEqual(await accountPacerFor(unknown), await accountPacerFor(a));
});

test("cleanup", async () => {
  await sql`delete from public.teams where name like 'Typeform test %'`;
  await closeAll();
});
