// bench/webhook: 200 concurrent signed Fathom deliveries to /functions/v1/fathom-webhook/<routeId>, time to
// acknowledge (p50 / p99), then 50 of them again and 25 fresh ones sent twice at the same moment: duplicates stored
// (target 0). The webhook is an inbox (acknowledge, then import): the run waits until every acknowledged delivery
// is imported and reports the time from receipt to the meeting being visible (p50 / p99, from the database's own
// clock: webhook_deliveries.received_at -> processed_at, the commit of the import).
//
// Baseline (same run, same gateway, same load): bench/webhook/baseline-handler.ts, which reads the body, verifies
// the same signature and stores it with ONE insert (the "verifies and does one insert"). After each product
// round the bench waits for the product's imports to finish, so no round is measured beside background work. Printed: p50 / p99 of both and the ratios product/baseline.
// After a warm-up (10 sequential deliveries and one unmeasured burst per handler), BENCH_WEBHOOK_ROUNDS (default 3)
// rounds of 200 per handler, alternating which goes first; percentiles are over all measured rounds together. BENCH_WEBHOOK_CONCURRENCY (default 200).
//
// Database: the embedded PGlite, or a disposable database on the server SUPABASE_DB_URL names.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { Webhook } from 'standardwebhooks';
import { benchStack, runBench, runDenoScript } from '../lib.mjs';

const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 200);
const ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 3);
const RESEND = 50;
const RACE = 25;
const WARMUP = 10;
const SANDY = { name: 'Sandy Sandbox', email: 'sandy@sandbox.fathom.test', email_domain: 'sandbox.fathom.test' };

let stack;
let sql;

async function cleanup() {
  await sql?.end({ timeout: 5 }).catch(() => {});
  await stack?.stop().catch((e) => console.error(e.message));
}

// ---------------------------------------------------------------------------------------------------------------
// deliveries

let nextRecording = 700_000_000 + Math.floor(Math.random() * 1_000_000);
const SENTENCES = [
  'Thanks for making the time today.', 'Could you walk us through the current process?',
  'We have about forty people on the sales team.', 'Pricing depends on the number of seats.',
  'Security review usually takes two weeks on our side.', 'Let us schedule a follow-up with procurement.',
  'The integration with our CRM is the main requirement.', 'I will send over the proposal by Friday.',
];

/** A Fathom Meeting as a webhook with include_transcript/summary/action_items delivers it (~10 KB). */
function meeting(contact, i) {
  const recordingId = nextRecording++;
  const start = Date.parse('2026-01-12T15:00:00Z') + i * 3_600_000;
  const iso = (ms) => new Date(ms).toISOString().replace('.000', '');
  const domain = contact.email.split('@')[1];
  const transcript = Array.from({ length: 60 }, (_, k) => {
    const speaker = k % 2 ? SANDY.name : contact.name;
    const s = 5 + k * 17;
    return {
      speaker: { display_name: speaker, matched_calendar_invitee_email: k % 2 ? SANDY.email : contact.email },
      text: `${SENTENCES[(k + i) % SENTENCES.length]} ${SENTENCES[(k * 3 + i) % SENTENCES.length]}`,
      timestamp: `00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`,
    };
  });
  return {
    title: `${domain.split('.')[0]} discovery call`,
    meeting_title: `${contact.name} x Sandbox`,
    recording_id: recordingId,
    url: `https://fathom.video/calls/${recordingId}`,
    share_url: `https://fathom.video/share/${recordingId}`,
    created_at: iso(start + 32 * 60_000),
    scheduled_start_time: iso(start),
    scheduled_end_time: iso(start + 30 * 60_000),
    recording_start_time: iso(start + 60_000),
    recording_end_time: iso(start + 29 * 60_000),
    calendar_invitees_domains_type: 'one_or_more_external',
    transcript_language: 'en',
    calendar_invitees: [
      { ...SANDY, is_external: false, matched_speaker_display_name: SANDY.name },
      { name: contact.name, email: contact.email, email_domain: domain, is_external: true, matched_speaker_display_name: contact.name },
    ],
    recorded_by: { ...SANDY, team: 'Sales' },
    transcript,
    default_summary: {
      template_name: 'general',
      markdown_formatted: `## Summary\n${contact.name} wants a CRM integration.\n\n## Next steps\n- Proposal by Friday\n- Security review`,
    },
    action_items: [
      { description: 'Send the proposal', user_generated: false, completed: false, recording_timestamp: '00:12:40',
        recording_playback_url: `https://fathom.video/calls/${recordingId}?timestamp=760`, assignee: { ...SANDY, team: 'Sales' } },
    ],
  };
}

function signed(secret, body) {
  const id = `msg_${randomBytes(12).toString('hex')}`;
  const at = new Date();
  const text = JSON.stringify(body);
  return {
    id,
    recordingId: body.recording_id,
    body: text,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, text),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// load

/** Sends all at once; each result is { ms, status, body }. */
async function fire(url, deliveries) {
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

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
function stats(results) {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  return {
    n: ms.length,
    p50: round(percentile(ms, 50)),
    p99: round(percentile(ms, 99)),
    max: round(ms.at(-1)),
    non_200: results.filter((r) => r.status !== 200).length,
  };
}
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Waits (at most 5 minutes) until no delivery of the integration is left to import. */
async function inboxDrained(integrationId) {
  const started = Date.now();
  for (;;) {
    const [left] = await sql`select count(*)::int as n from public.webhook_deliveries
                              where integration_id = ${integrationId} and status = 'received'`;
    if (left.n === 0 || Date.now() - started > 300_000) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

await runBench(async () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  stack = await benchStack({
    gatewayExtraEnv: {
      EXTRA_FUNCTIONS: 'webhook-baseline=bench/webhook/baseline-handler.ts',
      BENCH_WEBHOOK_SECRET: secret,
    },
  });
  const dbLabel = stack.database ? `PostgreSQL (disposable database ${stack.database.name})` : 'PGlite (embedded)';
  console.log(`bench/webhook  db: ${dbLabel}  concurrency: ${CONCURRENCY}  rounds: ${ROUNDS}`);
  sql = postgres(stack.urls.db, { max: 1, prepare: false, onnotice: () => {} });
  // the baseline's inbox: a bare table, no index but its key
  await sql`create table if not exists public.bench_webhook_baseline (
              id text primary key, body text not null, received_at timestamptz not null default now())`;
  // the shared fixture script: team, leads, connected integration, webhook route
  const fixture = await runDenoScript('bench/import/connect.ts', { env: { ...stack.env, BENCH_WEBHOOK_SECRET: secret } });
  const contacts = fixture.leadEmails.map((email) => ({
    email,
    name: email.split('@')[0].split('.').map((w) => w[0].toUpperCase() + w.slice(1)).join(' '),
  }));
  contacts.push({ email: 'someone@newco.example', name: 'Someone' }); // not a lead: stored, not linked
  const productUrl = `${stack.urls.api}/functions/v1/fathom-webhook/${fixture.routeId}`;
  const baselineUrl = `${stack.urls.api}/functions/v1/webhook-baseline/${fixture.routeId}`;
  const batch = (n) => Array.from({ length: n }, (_, i) => signed(secret, meeting(contacts[i % contacts.length], i)));

  const sentProduct = []; // every distinct delivery the product received
  // warm-up: module loading, JIT, the pools' connections; one at a time
  for (const [url, list] of [[productUrl, batch(WARMUP)], [baselineUrl, batch(WARMUP)]]) {
    for (const d of list) {
      const [r] = await fire(url, [d]);
      if (r.status !== 200) throw new Error(`warm-up ${url}: ${r.status} ${r.body}`);
    }
    if (url === productUrl) sentProduct.push(...list);
  }
  // and one unmeasured burst each, so the measured rounds do not include the first concurrent run's JIT and pool
  // growth
  for (const url of [productUrl, baselineUrl]) {
    const list = batch(CONCURRENCY);
    const results = await fire(url, list);
    if (results.some((r) => r.status !== 200)) throw new Error(`warm-up burst ${url}: ${results.find((r) => r.status !== 200).status}`);
    if (url === productUrl) {
      sentProduct.push(...list);
      await inboxDrained(fixture.integrationId);
    }
  }

  const product = [];
  const baseline = [];
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['baseline', 'product'] : ['product', 'baseline'];
    const entry = {};
    for (const which of order) {
      const deliveries = batch(CONCURRENCY);
      const results = await fire(which === 'product' ? productUrl : baselineUrl, deliveries);
      (which === 'product' ? product : baseline).push(...results);
      if (which === 'product') {
        sentProduct.push(...deliveries);
        // the imports run after the acknowledgements: let them finish before the next round, so the baseline is
        // never measured while the product's background work shares the machine
        await inboxDrained(fixture.integrationId);
      }
      entry[which] = stats(results);
    }
    rounds.push(entry);
  }

  // the same 50 messages again (Fathom's retries), all at once
  const resent = await fire(productUrl, sentProduct.slice(WARMUP, WARMUP + RESEND));
  // 25 fresh messages, each delivered twice at the same moment (a retry racing the original)
  const racing = batch(RACE);
  const raced = await fire(productUrl, [...racing, ...racing]);
  sentProduct.push(...racing);

  const uniqueRecordings = new Set(sentProduct.map((d) => d.recordingId)).size;
  const uniqueMessages = new Set(sentProduct.map((d) => d.id)).size;
  // every acknowledged delivery gets imported
  await inboxDrained(fixture.integrationId);
  const visible = (await sql`
    select extract(epoch from (processed_at - received_at)) * 1000 as ms from public.webhook_deliveries
     where integration_id = ${fixture.integrationId} and status = 'imported' and processed_at is not null
       and webhook_message_id = any(${product.length ? sentProduct.slice(-(CONCURRENCY * ROUNDS + RACE)).map((d) => d.id) : []})`)
    .map((r) => Number(r.ms)).sort((a, b) => a - b);
  const toVisible = { n: visible.length, p50: round(percentile(visible, 50)), p99: round(percentile(visible, 99)) };
  const [db] = await sql`
    select (select count(*)::int from public.meetings where team_id = ${fixture.teamId}) as meetings,
           (select count(distinct provider_meeting_id)::int from public.meetings where team_id = ${fixture.teamId}) as recordings,
           (select count(*)::int from public.webhook_deliveries where integration_id = ${fixture.integrationId}) as deliveries,
           (select count(*)::int from public.webhook_deliveries where integration_id = ${fixture.integrationId}
              and status <> 'imported') as not_imported,
           (select count(*)::int from public.meetings where team_id = ${fixture.teamId} and content_status = 'complete') as complete,
           (select count(*)::int from public.meeting_leads where team_id = ${fixture.teamId}) as links,
           (select count(*)::int from public.integration_events where team_id = ${fixture.teamId}
              and type = 'fathom.meeting.imported') as imported_events`;
  const resentDuplicateAnswers = resent.filter((r) => r.status === 200 && JSON.parse(r.body).duplicate === true).length;
  const racedStored = raced.filter((r) => r.status === 200 && JSON.parse(r.body).duplicate === false).length;
  const duplicatesStored = db.meetings - uniqueRecordings;
  const deliveryRowsExtra = db.deliveries - uniqueMessages;

  const p = stats(product);
  const b = stats(baseline);
  const ratio = { p50: round(p.p50 / b.p50, 2), p99: round(p.p99 / b.p99, 2) };
  console.log(
    `\n  ${ROUNDS} x ${CONCURRENCY} concurrent signed deliveries (~${Math.round(sentProduct.at(-1).body.length / 1024)} KB each), ` +
      `time to acknowledge (ms)\n` +
      `    fathom-webhook   p50 ${p.p50}   p99 ${p.p99}   max ${p.max}   non-200 ${p.non_200}\n` +
      `    baseline         p50 ${b.p50}   p99 ${b.p99}   max ${b.max}   non-200 ${b.non_200}\n` +
      `    ratio            p50 ${ratio.p50}   p99 ${ratio.p99}\n` +
      rounds
        .map((r, i) => `    round ${i + 1}: product p50/p99 ${r.product.p50}/${r.product.p99}, baseline ${r.baseline.p50}/${r.baseline.p99}`)
        .join('\n') +
      `\n  duplicates: ${RESEND} resent (answered duplicate: ${resentDuplicateAnswers}/${RESEND}), ` +
      `${RACE} sent twice at once (stored ${racedStored}/${RACE})\n` +
      `    stored: ${db.meetings} meetings for ${uniqueRecordings} distinct recordings, ${db.deliveries} delivery rows for ` +
      `${uniqueMessages} distinct messages, ${db.imported_events} import events, ${db.complete} with content, ${db.links} links\n` +
      `    duplicates stored ${duplicatesStored}  (target 0); not imported ${db.not_imported} (target 0)\n` +
      `  receipt -> meeting visible (ms, measured rounds): p50 ${toVisible.p50}   p99 ${toVisible.p99}   (n ${toVisible.n})`,
  );
  const ok =
    p.non_200 === 0 && b.non_200 === 0 && duplicatesStored === 0 && deliveryRowsExtra === 0 && db.not_imported === 0 &&
    db.recordings === uniqueRecordings && db.imported_events === uniqueRecordings && db.complete === uniqueRecordings &&
    resentDuplicateAnswers === RESEND && racedStored === RACE && resent.every((r) => r.status === 200) &&
    raced.every((r) => r.status === 200);
  console.log(
    'BENCH_RESULT ' +
      JSON.stringify({
        bench: 'webhook',
        db: stack.database ? 'postgresql' : 'pglite',
        concurrency: CONCURRENCY,
        rounds: ROUNDS,
        product: p,
        baseline: b,
        ratio,
        per_round: rounds,
        to_visible_ms: toVisible,
        not_imported: db.not_imported,
        duplicates: {
          resent: RESEND,
          resent_answered_duplicate: resentDuplicateAnswers,
          raced: RACE,
          raced_stored: racedStored,
          meetings: db.meetings,
          distinct_recordings_sent: uniqueRecordings,
          delivery_rows: db.deliveries,
          distinct_messages_sent: uniqueMessages,
          stored: duplicatesStored,
        },
        ok,
      }),
  );
  return ok;
}, cleanup);
