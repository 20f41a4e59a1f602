// Two switch-ons of the same Typeform form at once (a double click, two admins) whose PUTs land at Typeform in the
// other order: the route Typeform ends up calling is the stored one (else every delivery gets 404 and Typeform
// disables the webhook while the form reads enabled).
import assert from "node:assert/strict";
import { backfillsIdle } from "../_shared/typeform/backfill.ts";
import { switchOn } from "../_shared/typeform/forms.ts";
import { routeHash } from "../_shared/typeform/route.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { createTypeformTeam, FIELDS, FORM_ID } from "./typeform_support.ts";

Deno.env.set("TYPEFORM_API_BASE_URL", "http://127.0.0.1:9/typeform"); // backfills fail fast, never the internet

test("typeform switch-on: two at once for one form, the first PUT landing last -> Typeform holds the stored route", async () => {
  const { teamId, integrationId } = await createTypeformTeam();
  const puts: { url: string; secret: string }[] = [];
  let n = 0;
  const client = {
    getForm: async (id: string) => ({ id, title: "Contact us", fields: FIELDS.map((f) => ({ ...f })) }),
    putWebhook: async (_id: string, _tag: string, input: { url: string; secret: string }) => {
      const mine = ++n;
      await new Promise((r) => setTimeout(r, mine === 1 ? 400 : 10)); // the first caller's PUT is slower
      puts.push(input);
    },
    deleteWebhook: async () => {},
  };
  // deno-lint-ignore no-explicit-any
  const c = client as any;
  await Promise.all([switchOn(teamId, integrationId, FORM_ID, null, c), switchOn(teamId, integrationId, FORM_ID, null, c)]);
  await backfillsIdle();
  const held = puts.at(-1)!.url.split("/").at(-1)!;
  const [row] = await sql`select enabled, route_id_hash from public.typeform_forms where team_id = ${teamId} and form_id = ${FORM_ID}`;
  assert.equal(row.enabled, true);
  assert.equal(row.route_id_hash, await routeHash(held), "the URL Typeform calls is not the stored route");
});

test("cleanup", async () => {
  await backfillsIdle();
  await closeAll();
});
