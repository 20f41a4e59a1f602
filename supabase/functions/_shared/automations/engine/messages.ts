// The message actions (post_slack, post_discord, send_webhook): called with NO transaction open and no connection
// held (execute.ts marks the step running before and records the outcome after, each in its own short
// transaction). Slack and Discord go through notify() (chat/notify.ts), which reads the team's destination,
// writes the markdown text in the provider's syntax (escaped), adds the link back to the CRM (the meeting's page,
// else the lead's) and classifies its answer; send_webhook reads its endpoint in a short transaction, then posts
// (webhook.ts). A webhook's output is what was sent and what came back (WebhookDelivery), written to `trace` before
// the POST so that a failed step keeps it too (execute.ts stores it as the step's output).
import { asService } from "../../db.ts";
import { AppError } from "../../errors.ts";
import { notify } from "../../chat/notify.ts";
import type { RunContext } from "../context.ts";
import { readEndpoint } from "../endpoints.ts";
import { crmLink } from "./context-loader.ts";
import type { ResolvedInput } from "./resolve.ts";
import { postWebhook, type WebhookBody, webhookBody, WebhookHttpError } from "./webhook.ts";

export interface MessageRef {
  teamId: string;
  runId: string;
  stepIndex: number;
  createdAt: Date | string;
  rule: { id: string; name: string; version: number };
  context: RunContext;
  /** a dry run's "send": marked as a test, with its own webhook-id */
  test?: boolean;
}

/**
 * send_webhook's output, on success and on failure alike: the endpoint by its NAME (never its URL or secret), the
 * `webhook-id` header, the JSON body exactly as sent (encoded by webhook.ts), whether the POST was made (`sent`:
 * false when the address check refused it first), the answer's HTTP status (null: no answer: a timeout, a network
 * error, or not sent) and, on a non-2xx answer, a short scrubbed excerpt of its body (excerpt.ts).
 */
export interface WebhookDelivery {
  endpoint: { id: string; name: string };
  webhook_id: string;
  body: WebhookBody;
  sent: boolean;
  status: number | null;
  response_excerpt?: string | null;
}

/**
 * post_slack / post_discord's output: where the message went, by the names the team sees in Integrations (the
 * channel and the Slack workspace / Discord server; never the webhook URL) and when (ISO 8601 UTC). `sent` (the
 * provider) is kept from the first shape, `{sent: "slack"}`, which older steps still hold.
 */
export interface ChatPost {
  sent: "slack" | "discord";
  channel: string | null;
  workspace: string | null;
  posted_at: string;
}

/** Where sendMessage leaves what it did before it throws (the step keeps it as its output). */
export interface MessageTrace {
  output?: Record<string, unknown>;
}

export const MESSAGE_ACTIONS = new Set(["post_slack", "post_discord", "send_webhook"]);

/** Sends one message action; resolves its output, throws what the provider or endpoint said (errors.ts classifies). */
export async function sendMessage(ref: MessageRef, input: ResolvedInput, trace: MessageTrace = {}): Promise<Record<string, unknown>> {
  switch (input.type) {
    case "post_slack":
    case "post_discord": {
      if (!input.text.trim()) throw new AppError("invalid_request", "The message is empty once rendered.");
      const provider = input.type === "post_slack" ? "slack" : "discord";
      const { to } = await notify(ref.teamId, provider, {
        title: ref.test ? `Test: ${ref.rule.name}` : "",
        text: input.text,
        format: "markdown",
        url: crmLink(ref.teamId, ref.context) ?? undefined,
      });
      const post: ChatPost = { sent: provider, channel: to.channel, workspace: to.workspace, posted_at: new Date().toISOString() };
      trace.output = post as unknown as Record<string, unknown>;
      return post as unknown as Record<string, unknown>;
    }
    case "send_webhook": {
      const endpoint = await asService((tx) => readEndpoint(tx, ref.teamId, input.endpoint_id));
      if (!endpoint) throw new AppError("not_found", "The webhook endpoint was removed.");
      const webhookId = ref.test ? `test_${crypto.randomUUID()}` : `${ref.runId}:${ref.stepIndex}`;
      const body = webhookBody({
        runId: ref.runId,
        createdAt: ref.createdAt,
        rule: ref.rule,
        context: ref.context,
        message: input.message,
        test: ref.test,
      });
      const delivery: WebhookDelivery = {
        endpoint: { id: input.endpoint_id, name: endpoint.name },
        webhook_id: webhookId,
        body,
        sent: false,
        status: null,
      };
      trace.output = delivery as unknown as Record<string, unknown>;
      try {
        const answer = await postWebhook(endpoint.url, endpoint.secret, webhookId, body, {
          onSend: () => (delivery.sent = true),
        });
        delivery.status = answer.status;
      } catch (err) {
        if (err instanceof WebhookHttpError) {
          delivery.status = err.status;
          delivery.response_excerpt = err.excerpt;
        }
        throw err;
      }
      return delivery as unknown as Record<string, unknown>;
    }
    default:
      throw new Error(`${input.type} is not a message action`);
  }
}
