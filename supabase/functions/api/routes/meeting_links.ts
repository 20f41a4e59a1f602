// Manual links between a meeting and a lead (issue 11): any member links (201, or 200 when it was linked already)
// and unlinks (204). A manual link is a meeting_leads row with matched_email null (the column is not granted to
// clients; the policy checks it). The composite foreign keys keep both ends in the caller's team.
// Errors: 400 invalid_request (body), 404 meeting_not_found / lead_not_found.
import { z } from "zod";
import type { Tx } from "../../_shared/db.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { leadVisible } from "./leads_store.ts";
import { type LeadRef, meetingContentStatus } from "./meetings_store.ts";
import { teamRoute } from "./team_route.ts";

const linkBody = z.strictObject({ lead_id: z.uuid().transform((v) => v.toLowerCase()) });

async function mustSeeMeeting(tx: Tx, teamId: string, meetingId: string): Promise<void> {
  if (await meetingContentStatus(tx, teamId, meetingId) === null) {
    throw new AppError("meeting_not_found", "Meeting not found.");
  }
}

/** The meeting's leads as MeetingSummary lists them (lower(name), id). */
async function linkedLeads(tx: Tx, meetingId: string): Promise<LeadRef[]> {
  return await tx<LeadRef[]>`
    select l.id, l.name from public.meeting_leads ml join public.leads l on l.id = ml.lead_id
     where ml.meeting_id = ${meetingId}
     order by lower(l.name), l.id`;
}

const linkLead = teamRoute(async ({ teamId, uuid, body, asMember }) => {
  const meetingId = uuid("meetingId");
  const { lead_id: leadId } = await body(linkBody);
  const { leads, created } = await asMember(async (tx) => {
    await mustSeeMeeting(tx, teamId, meetingId);
    if (!await leadVisible(tx, teamId, leadId)) throw new AppError("lead_not_found", "Lead not found.");
    const inserted = await tx`
      insert into public.meeting_leads (meeting_id, lead_id, team_id) values (${meetingId}, ${leadId}, ${teamId})
      on conflict (meeting_id, lead_id) do nothing
      returning lead_id`;
    return { leads: await linkedLeads(tx, meetingId), created: inserted.length > 0 };
  });
  return jsonResponse({ leads }, created ? 201 : 200);
});

/** Unlinks (automatic links too); unlinking a lead that is not linked is 204 as well (the state asked for holds). */
const unlinkLead = teamRoute(async ({ teamId, uuid, asMember }) => {
  const meetingId = uuid("meetingId");
  const leadId = uuid("leadId");
  await asMember(async (tx) => {
    await mustSeeMeeting(tx, teamId, meetingId);
    if (!await leadVisible(tx, teamId, leadId)) throw new AppError("lead_not_found", "Lead not found.");
    await tx`delete from public.meeting_leads where meeting_id = ${meetingId} and lead_id = ${leadId}
                and team_id = ${teamId}`;
  });
  return new Response(null, { status: 204 });
});

export const meetingLinkRoutes: Route[] = [
  { method: "POST", path: "/api/teams/:teamId/meetings/:meetingId/leads", handler: linkLead },
  { method: "DELETE", path: "/api/teams/:teamId/meetings/:meetingId/leads/:leadId", handler: unlinkLead },
];
