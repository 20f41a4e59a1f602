// A lead made by the product for an e-mail address (an unknown meeting attendee, a form response), safe against
// every other writer of the same address: the lead and its e-mail are inserted, and when the e-mail's unique key
// (team, normalised address) is already taken, by a commit this insert waited for or by a lead the caller did not
// see, the new lead is dropped and the owner of the address is used instead.
import type { Tx } from "../db.ts";

export interface NewLead {
  teamId: string;
  /** Shown name (the caller's choice, e.g. autoLeadName). */
  name: string;
  company: string | null;
  /** `leads.source`: a provider slug (leads_source_check). */
  source: string;
  /** The normalised address (email.ts normalizeEmail). */
  email: string;
}

/** `{ id, created }`: created false when the address already belonged to a lead (its id is returned). */
export async function createLeadForEmail(tx: Tx, lead: NewLead): Promise<{ id: string; created: boolean }> {
  const [row] = await tx<{ id: string }[]>`
    insert into public.leads (team_id, name, company, source, created_by)
    values (${lead.teamId}, ${lead.name}, ${lead.company}, ${lead.source}, null)
    returning id`;
  const added = await tx`
    insert into public.lead_emails (lead_id, team_id, email) values (${row.id}, ${lead.teamId}, ${lead.email})
    on conflict (team_id, email_normalized) do nothing
    returning lead_id`;
  if (added.length > 0) return { id: row.id, created: true };
  await tx`delete from public.leads where id = ${row.id}`;
  const [owner] = await tx<{ lead_id: string }[]>`
    select lead_id from public.lead_emails
     where team_id = ${lead.teamId} and email_normalized = private.normalize_email(${lead.email})`;
  return { id: owner.lead_id, created: false };
}
