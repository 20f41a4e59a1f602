// Names of leads created for unknown attendees (issue 10 item 10: one named "someone").
import assert from "node:assert/strict";
import { autoLeadName } from "../_shared/meetings/lead-name.ts";

Deno.test("auto lead name: Fathom's invitee name first, trimmed and capped at 200", () => {
  assert.equal(autoLeadName("  Jane Doe ", "someone@newco.example"), "Jane Doe");
  assert.equal(autoLeadName("x".repeat(300), "a@b.example").length, 200);
});

Deno.test("auto lead name: a first.last local part becomes the person's name", () => {
  assert.equal(autoLeadName(null, "jane.doe@acme.example"), "Jane Doe");
  assert.equal(autoLeadName(undefined, "jane_doe+crm@acme.example"), "Jane Doe");
  assert.equal(autoLeadName("", "élodie-martin@acme.example"), "Élodie Martin");
});

Deno.test("auto lead name: a role, nickname or number is no name: the e-mail address is used", () => {
  assert.equal(autoLeadName(null, "someone@newco.example"), "someone@newco.example");
  assert.equal(autoLeadName(null, "info@newco.example"), "info@newco.example");
  assert.equal(autoLeadName(null, "jane.doe.1987@acme.example"), "jane.doe.1987@acme.example");
  assert.equal(autoLeadName("   ", "jd42@acme.example"), "jd42@acme.example");
});
