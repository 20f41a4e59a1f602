// bench/webhook's load and figures, shared by every provider's round: fire deliveries all at once, percentiles, and
// one provider's measured part interleaved with the baseline (measureRounds).

/**
 * A delivery as the bench sends it: `body` (the raw text), `headers` (signed), `id` (the key of the delivery row the
 * product stores: webhook_deliveries.webhook_message_id, or Typeform's response token) and `key` (the key of the
 * thing it imports: a recording's id, a Zoom meeting's uuid, a response's token).
 * @typedef {{ body: string, headers: Record<string, string>, id: string, key: string }} Delivery
 */

/** Sends all at once; each result is { ms, status, body } (status 0: the request failed). */
export async function fire(url, deliveries) {
  return await Promise.all(
    deliveries.map(async (d) => {
      const t0 = performance.now();
      try {
        const response = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
        const body = await response.text();
        return { ms: performance.now() - t0, status: response.status, body };
      } catch (error) {
        return { ms: performance.now() - t0, status: 0, body: String(error) };
      }
    }),
  );
}

export const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** { n, p50, p99, max (ms), non_200 } of fire()'s results. */
export function stats(results) {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  return {
    n: ms.length,
    p50: round(percentile(ms, 50)),
    p99: round(percentile(ms, 99)),
    max: round(ms.at(-1)),
    non_200: results.filter((r) => r.status !== 200).length,
  };
}

/** product / baseline for p50 and p99, two decimals. */
export const ratioOf = (p, b) => ({ p50: round(p.p50 / b.p50, 2), p99: round(p.p99 / b.p99, 2) });

/** How many of the answers are 200 with JSON `duplicate` equal to `value`. */
export const answeredDuplicate = (results, value) =>
  results.filter((r) => {
    if (r.status !== 200) return false;
    try {
      return JSON.parse(r.body).duplicate === value;
    } catch {
      return false;
    }
  }).length;

/**
 * One provider's measured part, interleaved with the SAME baseline as every other provider's (the baseline handler,
 * its own deliveries from `baseline.fresh`):
 *  1. warm-up: `warmup` deliveries one at a time to each, then one unmeasured burst of `concurrency` each (module
 *     loading, JIT, pool growth); the product's imports drained;
 *  2. `rounds` rounds of `concurrency` concurrent deliveries per handler, alternating which goes first; after each
 *     product round its imports are drained, so the baseline is never measured beside the product's background work;
 *  3. `resend` of the product's deliveries again, all at once (`product.again(d)`: as the provider's retry sends it),
 *     then `race` fresh ones each sent twice at the same moment; drained again.
 * product / baseline: { url, fresh(n) -> Delivery[] | Promise<Delivery[]> }; product also again(d) -> Delivery |
 * Promise<Delivery>, drain() -> Promise<void> (resolves when nothing the product acknowledged is left to import).
 * Throws when a warm-up delivery is not answered 200. Returns { product, baseline: fire() results of the measured
 * rounds, rounds: [{ product, baseline: stats }], resent, raced: fire() results, sent: every distinct Delivery the
 * product received, measured: those of the measured rounds and the race }.
 */
export async function measureRounds({ product, baseline, concurrency, rounds, warmup, resend, race }) {
  const sent = [];
  for (const [which, handler] of [['product', product], ['baseline', baseline]]) {
    const list = await handler.fresh(warmup);
    for (const d of list) {
      const [r] = await fire(handler.url, [d]);
      if (r.status !== 200) throw new Error(`warm-up ${which}: ${r.status} ${r.body}`);
    }
    if (which === 'product') sent.push(...list);
  }
  for (const [which, handler] of [['product', product], ['baseline', baseline]]) {
    const list = await handler.fresh(concurrency);
    const results = await fire(handler.url, list);
    const bad = results.find((r) => r.status !== 200);
    if (bad) throw new Error(`warm-up burst ${which}: ${bad.status} ${bad.body.slice(0, 300)}`);
    if (which === 'product') {
      sent.push(...list);
      await product.drain();
    }
  }

  const measured = { product: [], baseline: [] };
  const perRound = [];
  const measuredSent = [];
  for (let i = 0; i < rounds; i++) {
    const entry = {};
    for (const which of i % 2 === 0 ? ['baseline', 'product'] : ['product', 'baseline']) {
      const handler = which === 'product' ? product : baseline;
      const list = await handler.fresh(concurrency);
      const results = await fire(handler.url, list);
      measured[which].push(...results);
      if (which === 'product') {
        sent.push(...list);
        measuredSent.push(...list);
        await product.drain();
      }
      entry[which] = stats(results);
    }
    perRound.push(entry);
  }

  // the provider's retries of deliveries it already made, all at once
  const again = await Promise.all(sent.slice(warmup, warmup + resend).map((d) => product.again(d)));
  const resent = await fire(product.url, again);
  // fresh deliveries, each sent twice at the same moment (a retry racing the original)
  const racing = await product.fresh(race);
  const raced = await fire(product.url, [...racing, ...racing]);
  sent.push(...racing);
  measuredSent.push(...racing);
  await product.drain();
  return { product: measured.product, baseline: measured.baseline, rounds: perRound, resent, raced, sent, measured: measuredSent };
}

/** The median of the rounds' own p99 ratios (product / baseline of the same round), two decimals. */
export function medianRoundRatio(rounds) {
  const r = rounds.map((x) => x.product.p99 / x.baseline.p99).sort((a, b) => a - b);
  return round(r.length % 2 ? r[(r.length - 1) / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2, 2);
}

/**
 * The acknowledgement lines of a provider's section: its p50/p99, the baseline's, the ratios, and per round (the
 * round's own ratio: on a shared machine the load moves between rounds more than the code does).
 */
export function ackLines(label, p, b, ratio, rounds) {
  return [
    `    ${label.padEnd(16)} p50 ${p.p50}   p99 ${p.p99}   max ${p.max}   non-200 ${p.non_200}`,
    `    ${'baseline'.padEnd(16)} p50 ${b.p50}   p99 ${b.p99}   max ${b.max}   non-200 ${b.non_200}`,
    `    ${'ratio'.padEnd(16)} p50 ${ratio.p50}   p99 ${ratio.p99}   (median of the rounds' p99 ratios ${medianRoundRatio(rounds)})`,
    ...rounds.map((r, i) =>
      `    round ${i + 1}: product p50/p99 ${r.product.p50}/${r.product.p99}, baseline ${r.baseline.p50}/${r.baseline.p99}` +
      `  (p99 ratio ${round(r.product.p99 / r.baseline.p99, 2)})`
    ),
  ].join('\n');
}
