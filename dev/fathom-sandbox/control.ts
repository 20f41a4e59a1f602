// /_sandbox/*: JSON controls for tests running in other processes, plus the home page's form action.

import type { SandboxContext } from "./context.ts";
import { z } from "./deps.ts";
import { FailureRequest } from "./failures.ts";
import { apiError, json, readJson, redirect } from "./http.ts";
import { randomToken } from "./ids.ts";
import { addRecording, finishSummaries, generateMeetings } from "./recordings.ts";
import { normalizeEmail } from "./store.ts";
import { deliveryView, redeliver } from "./webhooks.ts";

export const CONTROL_PREFIX = "/_sandbox";

// Internationalised addresses too (jörg.müller@bücher.example), as Fathom's calendar invitees can be.
const Email = z.string().trim().max(320).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/u, "Invalid email address")
  .transform(normalizeEmail);

export const NewRecordingBody = z.strictObject({
  /** The recorder, e.g. a teammate; unknown users are created (on no team). */
  user_email: Email.optional(),
  title: z.string().max(300).optional(),
  meeting_title: z.string().max(300).nullable().optional(),
  /** [] records ad hoc: no calendar invitees. */
  invitees: z.array(z.strictObject({ name: z.string().max(200).nullable().optional(), email: Email })).max(50).optional(),
  duration_minutes: z.number().int().min(1).max(600).optional(),
  /** transcript_language: a language code such as "de", or "unknown" as Fathom sometimes reports. */
  language: z.string().regex(/^([a-z]{2,3}(-[A-Za-z]{2,4})?|unknown)$/).optional(),
  summary_ready: z.boolean().optional(),
  shared_with_team: z.boolean().optional(),
  deliver: z.boolean().optional(),
});

/**
 * The home page's "Attendees" field: one per line (or separated by commas or semicolons), `Name <email>` or just
 * `email`. Blank: the sandbox invents the meeting's invitees as before. Returns the invitees, or the first entry
 * that is not an address.
 */
export function parseAttendees(text: string): { invitees: { name: string | null; email: string }[] } | { error: string } {
  const invitees: { name: string | null; email: string }[] = [];
  for (const raw of text.split(/[\n,;]+/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const named = /^(.*?)\s*<([^<>]+)>$/.exec(entry);
    const email = Email.safeParse(named ? named[2] : entry);
    if (!email.success) return { error: `Not an e-mail address: ${entry.slice(0, 200)}` };
    invitees.push({ name: named?.[1].replace(/^"|"$/g, "").trim().slice(0, 200) || null, email: email.data });
    if (invitees.length > 50) return { error: "At most 50 attendees." };
  }
  return { invitees };
}

const GenerateBody = z.strictObject({ user_email: Email.optional(), count: z.number().int().min(1).max(200_000) });
const UserBody = z.strictObject({ email: Email, name: z.string().min(1).max(200).optional(), team: z.string().max(200).nullable().optional() });
const ForUserBody = z.strictObject({ user_email: Email.optional() });
const RevokeBody = z.strictObject({ user_email: Email.optional(), client_id: z.string().optional() });
const ApiKeyBody = z.strictObject({ user_email: Email });

/** Operations shared by the HTTP controls and the programmatic Sandbox object. */
export interface ControlOps {
  reset(): void;
  state(): unknown;
}

export function createApiKey(ctx: SandboxContext, userEmail: string): string {
  const user = ctx.ensureUser(userEmail);
  const key = randomToken("fsbx_key_", 24);
  ctx.store.apiKeys.set(key, user.email);
  return key;
}

/** Makes access tokens expire now, so a test can watch the product refresh. */
export function expireAccessTokens(ctx: SandboxContext, userEmail?: string): number {
  let count = 0;
  for (const token of ctx.store.accessTokens.values()) {
    if (userEmail && token.userEmail !== userEmail) continue;
    if (token.expiresAtMs > ctx.now()) {
      token.expiresAtMs = ctx.now();
      count++;
    }
  }
  return count;
}

/** The user "revokes the app in Fathom settings": refresh tokens and access tokens stop working. */
export function revokeGrants(ctx: SandboxContext, filter: { userEmail?: string; clientId?: string } = {}): number {
  let count = 0;
  for (const grant of ctx.store.grants.values()) {
    if (grant.revoked) continue;
    if (filter.userEmail && grant.userEmail !== filter.userEmail) continue;
    if (filter.clientId && grant.clientId !== filter.clientId) continue;
    grant.revoked = true;
    count++;
  }
  return count;
}

async function parseBody<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T> | Response> {
  const raw = await readJson(req);
  if (raw === undefined) return apiError(400, "bad_request", "The body must be JSON");
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return json({
    error: "bad_request",
    message: "Invalid body",
    details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  }, 400);
}

const SummariesReadyBody = z.strictObject({ recording_ids: z.array(z.number().int().positive()).max(10_000).optional() });

export async function handleControl(ctx: SandboxContext, ops: ControlOps, req: Request, url: URL): Promise<Response> {
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, "");
  const route = `${req.method} ${path}`;
  const redeliverMatch = path.match(/^\/webhook-deliveries\/([^/]+)\/redeliver$/);

  switch (route) {
    case "GET /requests":
      return json({ requests: ctx.log.entries() });
    case "DELETE /requests":
      ctx.log.clear();
      return new Response(null, { status: 204 });

    case "GET /failures":
      return json({ failures: ctx.failures.list() });
    case "POST /failures": {
      const body = await parseBody(req, FailureRequest);
      return body instanceof Response ? body : json({ failure: ctx.failures.set(body) }, 201);
    }
    case "DELETE /failures": {
      const target = url.searchParams.get("target");
      const parsed = FailureRequest.shape.target.optional().safeParse(target ?? undefined);
      if (!parsed.success) return apiError(400, "bad_request", "target must be token, api, authorize or webhook");
      ctx.failures.clear(parsed.data);
      return new Response(null, { status: 204 });
    }

    case "POST /recordings": {
      const body = await parseBody(req, NewRecordingBody);
      if (body instanceof Response) return body;
      const result = await addRecording(ctx, {
        userEmail: body.user_email,
        title: body.title,
        meetingTitle: body.meeting_title,
        invitees: body.invitees?.map((i) => ({ name: i.name ?? null, email: i.email })),
        durationMinutes: body.duration_minutes,
        language: body.language,
        summaryReady: body.summary_ready,
        sharedWithTeam: body.shared_with_team,
        deliver: body.deliver,
      });
      return json(result, 201);
    }
    case "POST /meetings/generate": {
      const body = await parseBody(req, GenerateBody);
      return body instanceof Response ? body : json(generateMeetings(ctx, { userEmail: body.user_email, count: body.count }), 201);
    }

    case "POST /summaries/ready": {
      const body = await parseBody(req, SummariesReadyBody);
      return body instanceof Response ? body : json({ finished: finishSummaries(ctx, body.recording_ids) });
    }

    case "GET /webhook-deliveries":
      return json({ deliveries: ctx.store.deliveries.map(deliveryView) });

    case "POST /users": {
      const body = await parseBody(req, UserBody);
      if (body instanceof Response) return body;
      const user = ctx.ensureUser(body.email, body.name, body.team);
      return json({ user: { email: user.email, name: user.name, team: user.team } }, 201);
    }
    case "POST /api-keys": {
      const body = await parseBody(req, ApiKeyBody);
      return body instanceof Response ? body : json({ api_key: createApiKey(ctx, body.user_email), user_email: body.user_email }, 201);
    }
    case "POST /tokens/expire": {
      const body = await parseBody(req, ForUserBody);
      return body instanceof Response ? body : json({ expired: expireAccessTokens(ctx, body.user_email) });
    }
    case "POST /grants/revoke": {
      const body = await parseBody(req, RevokeBody);
      return body instanceof Response
        ? body
        : json({ revoked: revokeGrants(ctx, { userEmail: body.user_email, clientId: body.client_id }) });
    }

    case "GET /state":
      return json(ops.state());
    case "POST /reset":
      ops.reset();
      return json({ ok: true });

    case "POST /ui/simulate-recording": {
      // The home page's button: same code path as POST /recordings, then back to the page.
      const form = new URLSearchParams(await req.text());
      const email = form.get("user_email");
      const attendees = parseAttendees(form.get("attendees") ?? "");
      if ("error" in attendees) return apiError(400, "bad_request", attendees.error);
      await addRecording(ctx, {
        userEmail: email && z.email().safeParse(email).success ? email : undefined,
        title: form.get("title") ?? undefined,
        // who attended decides which leads the CRM links the meeting to (by e-mail); blank: invented as before
        invitees: attendees.invitees.length > 0 ? attendees.invitees : undefined,
      });
      return redirect("/", 303);
    }
  }

  if (redeliverMatch && req.method === "POST") {
    const outcome = await redeliver(ctx, decodeURIComponent(redeliverMatch[1]));
    return outcome ? json(outcome) : apiError(404, "not_found", "Unknown message id");
  }
  return apiError(404, "not_found", `No control route ${route}`);
}
