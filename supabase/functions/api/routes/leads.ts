// A team's leads: list/search, create, read (with its meetings), edit, delete. Any member creates and edits; only
// admins delete (RLS decides; the caller's role only explains a refusal). A lead and its e-mails are written in ONE
// transaction as the caller: an e-mail already used by another lead of the team is 409 email_taken, nothing written.
import { z } from "zod";
import type { Tx } from "../../_shared/db.ts";
import { canonicalEmail, displayEmail, isEmail } from "../../_shared/email.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { decodeJsonCursor, encodeJsonCursor, isSortKeyTimestamp, parseQuery, searchText } from "./common.ts";
import {
  addEmails,
  deleteLead,
  emailTaken,
  getLead,
  insertLead,
  isTeamMember,
  type Lead,
  DEFAULT_SORT_DIR,
  type LeadKey,
  LEAD_SORT_KEY_KIND,
  LEAD_SORTS,
  LEAD_STAGES,
  type LeadFields,
  leadVisible,
  listLeads,
  replaceEmails,
  SORT_DIRS,
  updateLead,
} from "./leads_store.ts";
import { listMeetings, type MeetingSummary } from "./meetings_store.ts";
import { insertNote } from "./notes.ts";
import { teamRoute } from "./team_route.ts";

/** A lead page shows at most this many meetings; the meetings list (leadId filter) pages through all of them. */
export const LEAD_MEETINGS_LIMIT = 100;

/** Leads per page of the list: `limit` defaults to 100 and may ask for up to 200. */
export const LEADS_PAGE_SIZE = 100;
export const LEADS_PAGE_MAX = 200;

/** At most this many `email` parameters in one list request (a meeting's attendees). */
export const LEADS_EMAIL_FILTER_MAX = 100;

// --- validation --------------------------------------------------------------------------------------------------

/** "" and null clear an optional text; undefined leaves it alone (PATCH). */
const optionalText = (max: number) =>
  z.string().trim().max(max).nullable().optional().transform((v) => v === undefined ? undefined : v || null);

/**
 * The one e-mail rule (_shared/email.ts), so the API accepts exactly what the import and the database accept,
 * internationalised addresses included. Stored as typed, in NFC and trimmed; one address per canonical form.
 */
const emailList = z
  .array(z.string().max(1000).refine(isEmail, "Not an e-mail address.").transform(displayEmail))
  .min(1)
  .max(10)
  .transform((emails) => {
    const seen = new Set<string>();
    return emails.filter((email) => {
      const key = canonicalEmail(email);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });

const leadSchema = z.object({
  name: z.string().trim().min(1).max(200),
  company: optionalText(200),
  stage: z.enum(LEAD_STAGES).optional(),
  owner_id: z.uuid().nullable().optional().transform((v) => v?.toLowerCase() ?? v),
  emails: emailList,
});

/** `notes` on create becomes the lead's first note (lead_notes; the timeline), written by the caller. */
const createSchema = leadSchema.extend({ notes: optionalText(10_000) });

/** `notes` left the lead (issue 11): a PATCH naming it is 400 invalid_request, not silently dropped. */
const patchSchema = leadSchema.partial().extend({ notes: z.undefined().optional() });

/** A cursor's key as the store prints it for its sort (leads_store.ts LeadKey); null only where rows may lack one. */
function validSortKey(sort: (typeof LEAD_SORTS)[number], key: string | null): boolean {
  const kind = LEAD_SORT_KEY_KIND[sort];
  if (key === null) return sort === "owner" || sort === "last_meeting";
  if (kind === "timestamp") return isSortKeyTimestamp(key);
  if (kind === "rank") return /^[1-9]$/.test(key) && Number(key) <= LEAD_STAGES.length;
  return true;
}

/**
 * The cursor: base64url(JSON [sort, direction, sort key or null, id]); a cursor of another sort or direction, or
 * with a key its sort cannot have, is invalid.
 */
const cursorSchema = z.tuple([z.enum(LEAD_SORTS), z.enum(SORT_DIRS), z.string().max(1000).nullable(), z.uuid()])
  .refine(([sort, _dir, key]) => validSortKey(sort, key));

export function encodeLeadCursor(key: LeadKey): string {
  return encodeJsonCursor([key.sort, key.dir, key.key, key.id]);
}

export function decodeLeadCursor(cursor: string): LeadKey {
  const [sort, dir, key, id] = decodeJsonCursor(cursor, cursorSchema);
  return { sort, dir, key, id: id.toLowerCase() };
}

const listQuery = z.object({
  q: searchText,
  stage: z.enum(LEAD_STAGES).optional(),
  owner: z.union([z.literal("none"), z.uuid().transform((v) => v.toLowerCase())]).optional(),
  email: z.array(z.string().max(1000).refine(isEmail, "Not an e-mail address.").transform(canonicalEmail))
    .max(LEADS_EMAIL_FILTER_MAX)
    .optional(),
  sort: z.enum(LEAD_SORTS).default("created"),
  /** asc or desc; each sort has its own default (DEFAULT_SORT_DIR) */
  dir: z.enum(SORT_DIRS).optional(),
  limit: z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(LEADS_PAGE_MAX))
    .default(LEADS_PAGE_SIZE),
  cursor: z.string().max(2000).optional().transform((v) => v || undefined),
});

type LeadInput = z.output<typeof patchSchema> | z.output<typeof createSchema>;

function fieldsOf(input: LeadInput): LeadFields {
  const { emails: _emails, notes: _notes, ...fields } = input;
  return fields;
}

// --- domain steps (inside the caller's transaction) ----------------------------------------------------------------

async function checkOwner(tx: Tx, teamId: string, ownerId: string | null | undefined): Promise<void> {
  if (ownerId && !await isTeamMember(tx, teamId, ownerId)) {
    throw new AppError("invalid_request", "owner_id must be a member of this team.");
  }
}

async function mustGetLead(tx: Tx, teamId: string, leadId: string): Promise<Lead> {
  const lead = await getLead(tx, teamId, leadId);
  if (!lead) throw new AppError("lead_not_found", "Lead not found.");
  return lead;
}

/**
 * A unique violation that slipped past the "on conflict do nothing" check (a concurrent writer) is still the
 * client's 409, never a 500; an owner removed from the team meanwhile (foreign key leads_owner_is_member, 23503) is
 * the same 400 invalid_request as checkOwner's. The transaction has rolled back by then, so nothing was written.
 */
async function mappingEmailConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const e = err as { code?: string; table_name?: string; constraint_name?: string; detail?: string };
    if (e.code === "23505" && e.table_name === "lead_emails") {
      const email = /=\([^,]*,\s*([^)]*)\)/.exec(e.detail ?? "")?.[1];
      throw emailTaken([email ?? "An e-mail"]);
    }
    // the owner left the team after checkOwner saw them (the foreign key waited for that removal to commit)
    if (e.code === "23503" && e.constraint_name === "leads_owner_is_member") {
      throw new AppError("invalid_request", "owner_id must be a member of this team.");
    }
    throw err;
  }
}

// --- handlers ----------------------------------------------------------------------------------------------------

const listTeamLeads = teamRoute(async ({ req, teamId, asMember }) => {
  const query = parseQuery(req, listQuery, { lists: ["email"] });
  const dir = query.dir ?? DEFAULT_SORT_DIR[query.sort];
  const after = query.cursor ? decodeLeadCursor(query.cursor) : undefined;
  if (after && (after.sort !== query.sort || after.dir !== dir)) {
    throw new AppError("invalid_request", "cursor belongs to another sort.");
  }
  const page = await asMember((tx) =>
    listLeads(tx, teamId, {
      q: query.q,
      stage: query.stage,
      owner: query.owner,
      emails: query.email,
      sort: query.sort,
      dir,
      after,
      limit: query.limit,
    })
  );
  return jsonResponse({ leads: page.leads, next_cursor: page.next ? encodeLeadCursor(page.next) : null });
});

const createLead = teamRoute(async ({ teamId, body, asMember }) => {
  const input = await body(createSchema);
  const lead = await mappingEmailConflicts(() =>
    asMember(async (tx) => {
      await checkOwner(tx, teamId, input.owner_id);
      const leadId = await insertLead(tx, teamId, fieldsOf(input));
      await addEmails(tx, teamId, leadId, input.emails);
      if (input.notes) await insertNote(tx, teamId, leadId, input.notes);
      return await mustGetLead(tx, teamId, leadId);
    })
  );
  return jsonResponse({ lead }, 201);
});

const getTeamLead = teamRoute(async ({ teamId, uuid, asMember }) => {
  const leadId = uuid("leadId");
  const answer: { lead: Lead; meetings: MeetingSummary[] } = await asMember(async (tx) => {
    const lead = await mustGetLead(tx, teamId, leadId);
    const { meetings } = await listMeetings(tx, teamId, { leadId, limit: LEAD_MEETINGS_LIMIT });
    return { lead, meetings };
  });
  return jsonResponse(answer);
});

const patchLead = teamRoute(async ({ teamId, uuid, body, asMember }) => {
  const leadId = uuid("leadId");
  const input = await body(patchSchema);
  const lead = await mappingEmailConflicts(() =>
    asMember(async (tx) => {
      await checkOwner(tx, teamId, input.owner_id);
      if (!await updateLead(tx, teamId, leadId, fieldsOf(input))) {
        throw new AppError("lead_not_found", "Lead not found.");
      }
      if (input.emails) await replaceEmails(tx, teamId, leadId, input.emails);
      return await mustGetLead(tx, teamId, leadId);
    })
  );
  return jsonResponse({ lead });
});

// Admins only, by RLS; the member gate (not the admin one) keeps "no such lead" a 404 for a plain member too.
const removeLead = teamRoute(async ({ teamId, uuid, asMember }) => {
  const leadId = uuid("leadId");
  await asMember(async (tx) => {
    if (await deleteLead(tx, teamId, leadId)) return;
    // RLS deleted nothing: either there is no such lead here, or the caller may read but not delete it
    if (await leadVisible(tx, teamId, leadId)) {
      throw new AppError("not_team_admin", "Only a team owner or admin can delete leads.");
    }
    throw new AppError("lead_not_found", "Lead not found.");
  });
  return new Response(null, { status: 204 });
});

export const leadRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/leads", handler: listTeamLeads },
  { method: "POST", path: "/api/teams/:teamId/leads", handler: createLead },
  { method: "GET", path: "/api/teams/:teamId/leads/:leadId", handler: getTeamLead },
  { method: "PATCH", path: "/api/teams/:teamId/leads/:leadId", handler: patchLead },
  { method: "DELETE", path: "/api/teams/:teamId/leads/:leadId", handler: removeLead },
];
