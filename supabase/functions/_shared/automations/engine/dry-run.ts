// The rule editor's "Test" (i11 API contract, POST .../automations/:ruleId/test): the rule (a draft, or the
// published version) evaluated against one real meeting or lead, through the same code as a run (context-loader,
// conditions, resolve) with nothing written. Reads in its own short transaction; with `send`, the message actions
// (Slack, Discord, webhook) are really sent, marked as a test, with no transaction open; tasks, notes and stages
// never. A webhook action shows what would be sent (the endpoint by name, the JSON body) and, once sent, what was
// sent and what came back (messages.ts WebhookDelivery), never its settings alone.
import { asService } from "../../db.ts";
import { AppError } from "../../errors.ts";
import { TRIGGER_SUBJECTS } from "../catalog.ts";
import { evaluateConditions, type ConditionResult } from "../conditions.ts";
import type { EventSource, RunContext } from "../context.ts";
import { classifyStepError } from "../errors.ts";
import { parseRuleBody } from "../rule.ts";
import { buildContext } from "./context-loader.ts";
import { type PlannedTask, planTasks } from "./crm-actions.ts";
import { type ChatPost, MESSAGE_ACTIONS, type MessageTrace, sendMessage, type WebhookDelivery } from "./messages.ts";
import { readDestination } from "../../chat/store.ts";
import { describe, type ResolvedInput, resolveAction } from "./resolve.ts";
import { webhookBody } from "./webhook.ts";

/**
 * A webhook action in the dry run: before sending, `sent` is false, `webhook_id` and `status` null and `body` is
 * the body it would send; after a send, WebhookDelivery (the test's own webhook-id, the answer's status and, on
 * failure, its scrubbed excerpt). `endpoint.name` is null when the endpoint is gone.
 */
export type DryRunDelivery = Omit<WebhookDelivery, "webhook_id" | "endpoint"> & {
  endpoint: { id: string; name: string | null };
  webhook_id: string | null;
};

export interface DryRunResult {
  conditions: { passed: boolean; results: ConditionResult[] };
  actions: {
    index: number;
    type: string;
    input: ResolvedInput | null;
    would: string;
    sent?: { ok: boolean; error?: string };
    /** send_webhook only (see DryRunDelivery) */
    delivery?: DryRunDelivery;
    /** create_tasks only: each task it would create, with its assignee and why, as a run would pick them */
    tasks?: PlannedTask[];
    /** post_slack / post_discord once sent: where it was posted and when (messages.ts ChatPost) */
    posted?: ChatPost;
  }[];
  /** template variables with no value for this sample (rendered as "") */
  missing: string[];
}

const isUuid = (v: unknown): v is string =>
  typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/**
 * Evaluates `rule` on the meeting `meetingId` (meeting triggers; for meeting.linked_to_lead the lead is `leadId`
 * or the meeting's first linked lead) or the lead `leadId` (lead triggers). Throws AppError invalid_rule (400),
 * meeting_not_found / lead_not_found (404), meeting_has_no_lead (409: the meeting is linked to no lead).
 */
export async function dryRun(input: {
  teamId: string;
  rule: unknown;
  ruleId?: string;
  meetingId?: string | null;
  leadId?: string | null;
  send?: boolean;
}): Promise<DryRunResult> {
  const rule = parseRuleBody(input.rule);
  const has = TRIGGER_SUBJECTS[rule.trigger];
  const endpointIds = [
    ...new Set(rule.actions.flatMap((a) => (a.type === "send_webhook" && isUuid(a.endpoint_id) ? [a.endpoint_id] : []))),
  ];
  const endpointNames = new Map<string, string>();
  const context = await asService(async (tx): Promise<RunContext> => {
    if (endpointIds.length) {
      const rows = await tx<{ id: string; name: string }[]>`
        select id, name from public.automation_endpoints where team_id = ${input.teamId} and id in ${tx(endpointIds)}`;
      for (const r of rows) endpointNames.set(r.id, r.name);
    }
    let meetingId: string | null = null;
    let leadId: string | null = null;
    let source: EventSource = "person";
    if (has.meeting) {
      if (!isUuid(input.meetingId)) throw new AppError("meeting_not_found", "Pick a meeting to test with.");
      const [m] = await tx`select id, source from public.meetings where id = ${input.meetingId} and team_id = ${input.teamId}`;
      if (!m) throw new AppError("meeting_not_found", "No such meeting in this team.");
      meetingId = m.id;
      source = m.source === "webhook" ? "webhook" : "import";
    }
    if (has.lead) {
      if (input.leadId !== undefined && input.leadId !== null) {
        if (!isUuid(input.leadId)) throw new AppError("lead_not_found", "No such lead in this team.");
        leadId = input.leadId;
      } else if (meetingId) {
        const [first] = await tx`select lead_id from public.meeting_leads where meeting_id = ${meetingId}
                                  order by created_at, lead_id limit 1`;
        if (!first) {
          throw new AppError(
            "meeting_has_no_lead",
            "This meeting isn't linked to a lead; this automation runs when a meeting is linked to one.",
          );
        }
        leadId = first.lead_id;
      } else {
        throw new AppError("lead_not_found", "Pick a lead to test with.");
      }
      const [l] = await tx`select id, stage from public.leads where id = ${leadId} and team_id = ${input.teamId}`;
      if (!l) throw new AppError("lead_not_found", "No such lead in this team.");
    }
    let payload: { from_stage?: string; to_stage?: string } = {};
    if (rule.trigger === "lead.stage_changed" && leadId) {
      const [last] = await tx`select from_stage, to_stage from public.lead_stage_changes where lead_id = ${leadId}
                               order by changed_at desc, id desc limit 1`;
      const [l] = await tx`select stage from public.leads where id = ${leadId}`;
      payload = { from_stage: last?.from_stage ?? l.stage, to_stage: l.stage };
    }
    const built = await buildContext(tx, {
      team_id: input.teamId, type: rule.trigger, source, lead_id: leadId, meeting_id: meetingId, payload,
    });
    if (!built) throw new AppError(has.meeting ? "meeting_not_found" : "lead_not_found", "The sample is gone.");
    return built;
  });

  const conditions = evaluateConditions(rule.conditions, context);
  const missing = new Set<string>();
  const actions: DryRunResult["actions"] = [];
  const runId = crypto.randomUUID();
  const createdAt = new Date();
  const ruleRef = { id: input.ruleId ?? "draft", name: rule.name, version: 0 };
  for (const [index, action] of rule.actions.entries()) {
    let resolved: ResolvedInput | null = null;
    let would: string;
    try {
      const r = resolveAction(action, context);
      resolved = r.input;
      r.missing.forEach((m) => missing.add(m));
      would = describe(r.input, context);
    } catch (err) {
      would = `Cannot run: ${classifyStepError(err).message}`;
    }
    const entry: DryRunResult["actions"][number] = { index, type: action.type, input: resolved, would };
    if (resolved?.type === "create_tasks") {
      const input_ = resolved;
      entry.tasks = await asService((tx) => planTasks(tx, input.teamId, context, input_));
    }
    if (resolved?.type === "send_webhook") {
      const name = endpointNames.get(resolved.endpoint_id) ?? null;
      entry.would = name === null ? "Cannot run: the webhook endpoint was removed." : `Would send a signed webhook to “${name}”.`;
      entry.delivery = {
        endpoint: { id: resolved.endpoint_id, name },
        webhook_id: null,
        body: webhookBody({ runId, createdAt, rule: ruleRef, context, message: resolved.message, test: true }),
        sent: false,
        status: null,
      };
    }
    if (resolved?.type === "post_slack" || resolved?.type === "post_discord") {
      const provider = resolved.type === "post_slack" ? "slack" : "discord";
      entry.would = await chatWould(input.teamId, provider);
    }
    if (input.send && resolved && MESSAGE_ACTIONS.has(action.type)) {
      const trace: MessageTrace = {};
      try {
        await sendMessage({ teamId: input.teamId, runId, stepIndex: index, createdAt, context, test: true, rule: ruleRef }, resolved, trace);
        entry.sent = { ok: true };
      } catch (err) {
        entry.sent = { ok: false, error: classifyStepError(err).message };
      }
      if (trace.output && resolved.type === "send_webhook") entry.delivery = trace.output as unknown as DryRunDelivery;
      if (trace.output && resolved.type !== "send_webhook") entry.posted = trace.output as unknown as ChatPost;
    }
    actions.push(entry);
  }
  return { conditions, actions, missing: [...missing] };
}

/**
 * "Would post to #sales in Acme (Slack)." from the integration's destination names (never its URL); the generic
 * sentence when the team's chat is not connected or its connect named no channel (sending then says why).
 */
async function chatWould(teamId: string, provider: "slack" | "discord"): Promise<string> {
  const name = provider === "slack" ? "Slack" : "Discord";
  const stored = await readDestination(teamId, provider);
  const channel = stored?.status !== "disconnected" ? stored?.destination?.channel : null;
  if (!channel) return `Would post the message to the team's ${name} channel.`;
  const workspace = stored?.destination?.workspace;
  return `Would post to ${channel}${workspace ? ` in ${workspace}` : ""} (${name}).`;
}
