// send_webhook (automations.md §5.4): the body is built as an object and JSON-encoded (never string-templated),
// signed the Standard Webhooks way with the endpoint's secret (the standardwebhooks package: webhook-id,
// webhook-timestamp, webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>"). The webhook-id is
// `<run id>:<step index>`, the same on every retry, so the receiver can drop a second delivery. 10 s timeout,
// redirects not followed (the URL is a secret; a redirect would send the body elsewhere), 2xx = delivered.
// Before the POST the host is resolved and every address must be public (address.ts assertPublicHost: the
// endpoint was checked when saved, but a name can point anywhere later), for runs and dry-run sends alike.
// Errors: AppError invalid_url (not a public address: permanent), EndpointLookupError (transient), WebhookHttpError
// (a StepHttpError: non-2xx, with Retry-After, plus a scrubbed excerpt of the answer, excerpt.ts), TimeoutError /
// TypeError from fetch (errors.ts classifies).
import { Webhook } from "standardwebhooks";
import { assertPublicHost, type Resolver } from "../address.ts";
import type { RunContext } from "../context.ts";
import { StepHttpError } from "../errors.ts";
import { webhookTimeoutMs } from "./config.ts";
import { readHead, scrubExcerpt } from "./excerpt.ts";

/** A non-2xx answer: StepHttpError (errors.ts classifies it by status) with what the endpoint said, scrubbed. */
export class WebhookHttpError extends StepHttpError {
  constructor(status: number, message: string, retryAfterMs: number | undefined, readonly excerpt: string | null) {
    super(status, message, retryAfterMs);
  }
}

export interface WebhookBody {
  type: string;
  id: string;
  rule: { id: string; name: string; version: number };
  timestamp: string;
  test?: true;
  data: { meeting: RunContext["meeting"] | null; lead: RunContext["lead"] | null; message?: string };
}

/** The body of a run's webhook (see the top); `timestamp` is when the run was created (stable across retries). */
export function webhookBody(input: {
  runId: string;
  createdAt: Date | string;
  rule: { id: string; name: string; version: number };
  context: RunContext;
  message: string | null;
  test?: boolean;
}): WebhookBody {
  const body: WebhookBody = {
    type: input.context.event.type,
    id: input.runId,
    rule: input.rule,
    timestamp: new Date(input.createdAt).toISOString(),
    data: { meeting: input.context.meeting ?? null, lead: input.context.lead ?? null },
  };
  if (input.message !== null) body.data.message = input.message;
  if (input.test) body.test = true;
  return body;
}

/**
 * Signs and POSTs `body`; resolves `{status}` on 2xx, throws otherwise (see the top; a non-2xx is a
 * WebhookHttpError carrying the answer's scrubbed excerpt). `options.resolve` replaces
 * Deno.resolveDns (tests); `options.onSend` is called once the address checks passed, just before the POST (from
 * then on the body may have reached the endpoint).
 */
export async function postWebhook(
  url: string,
  secret: string,
  webhookId: string,
  body: WebhookBody,
  options: { resolve?: Resolver; onSend?: () => void } = {},
): Promise<{ status: number }> {
  await assertPublicHost(new URL(url).hostname, { resolve: options.resolve });
  options.onSend?.();
  const payload = JSON.stringify(body);
  const at = new Date();
  const signature = new Webhook(secret).sign(webhookId, at, payload);
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "TeamCRM-Automations/1",
      "webhook-id": webhookId,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body: payload,
    redirect: "manual",
    signal: AbortSignal.timeout(webhookTimeoutMs()),
  });
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => {});
    return { status: response.status };
  }
  // the answer may echo the request: its URL, secret and signature are scrubbed by value as well as by shape
  const excerpt = scrubExcerpt(await readHead(response), [url, secret, signature]);
  const http = StepHttpError.from(response, `The endpoint answered HTTP ${response.status}.`);
  throw new WebhookHttpError(http.status, http.message, http.retryAfterMs, excerpt);
}
