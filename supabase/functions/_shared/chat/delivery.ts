// Sending one post with the retry rules both providers share (providers.md §1, §2 "Rate limits"):
// - 429: wait the provider's Retry-After and post again, at most RATE_LIMIT_RETRIES times and only while the wait is
//   at most chatRetryMaxWaitMs(); a longer wait is returned to the caller (it answers 429 with Retry-After);
// - 5xx, timeout, network failure: one retry after chatRetryDelayMs(). A timed-out post may have arrived, so this
//   retry can duplicate a message; one duplicate is judged better than a lost notification;
// - anything else is final. Redirects are not followed: a webhook URL that redirects is refused, so the message
//   (and the URL's secret path) never goes to another host.
// The URL is never logged or put in an error: fetch's own errors name it, so they are reduced to a code here.
import { chatHttpTimeoutMs, chatRetryDelayMs, chatRetryMaxWaitMs } from "./config.ts";
import type { ChatPoster, OutgoingPost, PostOutcome } from "./types.ts";

export const RATE_LIMIT_RETRIES = 2;
export const FAILURE_RETRIES = 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts until sent or a final outcome (see above); never throws for the provider's sake. */
export async function deliver(poster: ChatPoster, post: OutgoingPost): Promise<PostOutcome> {
  let rateLimited = 0;
  let failed = 0;
  for (;;) {
    const outcome = await attempt(poster, post);
    if (outcome.kind === "rate_limited") {
      const waitMs = Math.ceil(outcome.retryAfterSeconds * 1000);
      if (rateLimited < RATE_LIMIT_RETRIES && waitMs <= chatRetryMaxWaitMs()) {
        rateLimited++;
        await sleep(waitMs);
        continue;
      }
    } else if (outcome.kind === "unavailable" && failed < FAILURE_RETRIES) {
      failed++;
      await sleep(chatRetryDelayMs());
      continue;
    }
    return outcome;
  }
}

async function attempt(poster: ChatPoster, post: OutgoingPost): Promise<PostOutcome> {
  const signal = AbortSignal.timeout(chatHttpTimeoutMs());
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...post.headers },
      body: JSON.stringify(post.body),
      redirect: "manual",
      signal,
    });
  } catch {
    return { kind: "unavailable", code: signal.aborted ? "timeout" : "network" };
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => {});
    return { kind: "refused", code: `http_${response.status}` };
  }
  try {
    return await poster.classify(response);
  } catch {
    // the answer's body stopped mid-way (the timeout fired while reading it)
    return { kind: "unavailable", code: signal.aborted ? "timeout" : "network" };
  }
}
