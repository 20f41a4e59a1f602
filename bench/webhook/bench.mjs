// bench/webhook: for each provider's webhook, 200 concurrent signed deliveries, time to acknowledge (p50 / p99)
// against the same baseline measured in the same run, then 50 of them again and 25 fresh ones sent twice at the same
// moment: duplicates stored (target 0). Providers (BENCH_WEBHOOK_PROVIDERS, default "fathom,zoom,typeform", in that
// order):
//   fathom    POST /functions/v1/fathom-webhook/<routeId>, Standard Webhooks signature, ~15 KB meetings with
//             transcripts (fathom.mjs); the integration arranged in the database (bench/import/connect.ts).
//   zoom      POST /functions/v1/zoom-webhook, x-zm-signature, recording.completed of recordings made in the Zoom
//             sandbox (zoom.mjs); the integration in the database with real sandbox tokens (connect-zoom.ts).
//   typeform  POST /functions/v1/typeform-webhook/<route id>, Typeform-Signature, form_response deliveries of an
//             enabled form (typeform.mjs); the integration and the form in the database (connect-typeform.ts).
// All three webhooks are inboxes (acknowledge, then import): after each product round the bench waits
// until every acknowledged delivery is imported (no round is measured beside background work) and reports the time
// from receipt to the meeting (Typeform: the lead) being visible (p50 / p99, from the database's own clock:
// webhook_deliveries.received_at -> processed_at, the commit of the import). Typeform's became an inbox in session 18
// (before, it ingested the response, lead included, before answering: 2-4x the baseline; docs/performance.md).
//
// Baseline (the same for every provider, its rounds interleaved with each provider's): bench/webhook/baseline-
// handler.ts, which reads the body, verifies a Standard Webhooks signature and stores it with ONE insert (the issue's
// "verifies and does one insert"), fed Fathom's ~15 KB meetings. Printed per provider: p50 / p99 of both and the
// ratios product/baseline. After a warm-up (10 sequential deliveries and one unmeasured burst per handler),
// BENCH_WEBHOOK_ROUNDS (default 3) rounds of 200 per handler, alternating which goes first; percentiles are over all
// measured rounds together. BENCH_WEBHOOK_CONCURRENCY (default 200). See load.mjs measureRounds.
//
// Database: the embedded PGlite, or a disposable database on the server SUPABASE_DB_URL names.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { benchStack, runBench, runDenoScript } from '../lib.mjs';
import { fathomBatch } from './fathom.mjs';
import { ackLines, answeredDuplicate, measureRounds, medianRoundRatio, percentile, ratioOf, round, stats } from './load.mjs';
import { typeformProduct, typeformStored } from './typeform.mjs';
import { zoomProduct, zoomStored } from './zoom.mjs';

const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 200);
const ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 3);
const PROVIDERS = (process.env.BENCH_WEBHOOK_PROVIDERS ?? 'fathom,zoom,typeform').split(',').map((p) => p.trim()).filter(Boolean);
const SHAPE = { concurrency: CONCURRENCY, rounds: ROUNDS, warmup: 10, resend: 50, race: 25 };

let stack;
let sql;

async function cleanup() {
  await sql?.end({ timeout: 5 }).catch(() => {});
  await stack?.stop().catch((e) => console.error(e.message));
}

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

/** Receipt -> imported (ms, the database's clock) of these deliveries of the integration: { n, p50, p99 }. */
async function toVisible(integrationId, deliveries) {
  const ms = (await sql`
    select extract(epoch from (processed_at - received_at)) * 1000 as ms from public.webhook_deliveries
     where integration_id = ${integrationId} and status = 'imported' and processed_at is not null
       and webhook_message_id = any(${deliveries.map((d) => d.id)})`)
    .map((r) => Number(r.ms)).sort((a, b) => a - b);
  return { n: ms.length, p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)) };
}

const distinct = (list, f) => new Set(list.map(f)).size;

/** What every provider's part reports alike: acknowledgement stats and ratios, the duplicates as answered. */
function summarize(m) {
  const p = stats(m.product);
  const b = stats(m.baseline);
  return {
    p, b,
    ratio: ratioOf(p, b),
    resentDuplicate: answeredDuplicate(m.resent, true),
    racedStored: answeredDuplicate(m.raced, false),
    answersOk: m.resent.every((r) => r.status === 200) && m.raced.every((r) => r.status === 200),
  };
}

async function fathomRound(baseline, fixture, contacts, secret) {
  const m = await measureRounds({
    ...SHAPE,
    baseline,
    product: {
      url: `${stack.urls.api}/functions/v1/fathom-webhook/${fixture.routeId}`,
      fresh: (n) => fathomBatch(secret, contacts, n),
      again: (d) => d, // the same message (webhook-id and signature) again
      drain: () => inboxDrained(fixture.integrationId),
    },
  });
  const s = summarize(m);
  const uniqueRecordings = distinct(m.sent, (d) => d.key);
  const uniqueMessages = distinct(m.sent, (d) => d.id);
  const visible = await toVisible(fixture.integrationId, m.measured);
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
  const duplicatesStored = db.meetings - uniqueRecordings;
  const ok = s.p.non_200 === 0 && s.b.non_200 === 0 && duplicatesStored === 0 && db.deliveries === uniqueMessages &&
    db.not_imported === 0 && db.recordings === uniqueRecordings && db.imported_events === uniqueRecordings &&
    db.complete === uniqueRecordings && s.resentDuplicate === m.resent.length && s.racedStored === SHAPE.race && s.answersOk;
  console.log(
    `\n  fathom: ${ROUNDS} x ${CONCURRENCY} concurrent signed deliveries (~${Math.round(m.sent.at(-1).body.length / 1024)} KB each), ` +
      `time to acknowledge (ms)\n` + ackLines('fathom-webhook', s.p, s.b, s.ratio, m.rounds) +
      `\n  duplicates: ${m.resent.length} resent (answered duplicate: ${s.resentDuplicate}/${m.resent.length}), ` +
      `${SHAPE.race} sent twice at once (stored ${s.racedStored}/${SHAPE.race})\n` +
      `    stored: ${db.meetings} meetings for ${uniqueRecordings} distinct recordings, ${db.deliveries} delivery rows for ` +
      `${uniqueMessages} distinct messages, ${db.imported_events} import events, ${db.complete} with content, ${db.links} links\n` +
      `    duplicates stored ${duplicatesStored}  (target 0); not imported ${db.not_imported} (target 0)\n` +
      `  receipt -> meeting visible (ms, measured rounds): p50 ${visible.p50}   p99 ${visible.p99}   (n ${visible.n})`,
  );
  return {
    ok,
    result: {
      product: s.p, baseline: s.b, ratio: { ...s.ratio, p99_round_median: medianRoundRatio(m.rounds) }, per_round: m.rounds, to_visible_ms: visible, not_imported: db.not_imported,
      duplicates: {
        resent: m.resent.length, resent_answered_duplicate: s.resentDuplicate, raced: SHAPE.race, raced_stored: s.racedStored,
        meetings: db.meetings, distinct_recordings_sent: uniqueRecordings, delivery_rows: db.deliveries,
        distinct_messages_sent: uniqueMessages, stored: duplicatesStored,
      },
    },
  };
}

async function zoomRound(baseline, contacts) {
  const fixture = await runDenoScript('bench/webhook/connect-zoom.ts', { env: stack.env });
  const m = await measureRounds({
    ...SHAPE,
    baseline,
    product: zoomProduct({
      url: `${stack.urls.api}/functions/v1/zoom-webhook`,
      sandboxUrl: stack.urls.sandbox,
      secretToken: stack.env.ZOOM_WEBHOOK_SECRET_TOKEN,
      fixture,
      contacts,
      drain: () => inboxDrained(fixture.integrationId),
    }),
  });
  const s = summarize(m);
  const uniqueMeetings = distinct(m.sent, (d) => d.key);
  const visible = await toVisible(fixture.integrationId, m.measured);
  const db = await zoomStored(sql, fixture);
  const duplicatesStored = db.meetings - uniqueMeetings;
  const ok = s.p.non_200 === 0 && s.b.non_200 === 0 && duplicatesStored === 0 && db.deliveries === uniqueMeetings &&
    db.not_imported === 0 && db.recordings === uniqueMeetings && db.complete === uniqueMeetings &&
    s.resentDuplicate === m.resent.length && s.racedStored === SHAPE.race && s.answersOk;
  console.log(
    `\n  zoom: ${ROUNDS} x ${CONCURRENCY} concurrent signed recording.completed (~${Math.round(m.sent.at(-1).body.length / 1024)} KB each), ` +
      `time to acknowledge (ms)\n` + ackLines('zoom-webhook', s.p, s.b, s.ratio, m.rounds) +
      `\n  duplicates: ${m.resent.length} re-sent, signed again (answered duplicate: ${s.resentDuplicate}/${m.resent.length}), ` +
      `${SHAPE.race} sent twice at once (stored ${s.racedStored}/${SHAPE.race})\n` +
      `    stored: ${db.meetings} meetings for ${uniqueMeetings} distinct recordings, ${db.deliveries} delivery rows, ` +
      `${db.complete} with their transcript, ${db.links} links\n` +
      `    duplicates stored ${duplicatesStored}  (target 0); not imported ${db.not_imported} (target 0)\n` +
      `  receipt -> meeting visible (ms, measured rounds; the import asks the sandbox for participants and the transcript): ` +
      `p50 ${visible.p50}   p99 ${visible.p99}   (n ${visible.n})`,
  );
  return {
    ok,
    result: {
      product: s.p, baseline: s.b, ratio: { ...s.ratio, p99_round_median: medianRoundRatio(m.rounds) }, per_round: m.rounds, to_visible_ms: visible, not_imported: db.not_imported,
      duplicates: {
        resent: m.resent.length, resent_answered_duplicate: s.resentDuplicate, raced: SHAPE.race, raced_stored: s.racedStored,
        meetings: db.meetings, distinct_meetings_sent: uniqueMeetings, delivery_rows: db.deliveries, stored: duplicatesStored,
      },
    },
  };
}

async function typeformRound(baseline, contacts) {
  const fixture = await runDenoScript('bench/webhook/connect-typeform.ts', { env: stack.env });
  const m = await measureRounds({
    ...SHAPE,
    baseline,
    product: typeformProduct({
      url: `${stack.urls.api}/functions/v1/typeform-webhook/${fixture.routeId}`,
      fixture,
      contacts,
      drain: () => inboxDrained(fixture.integrationId),
    }),
  });
  const s = summarize(m);
  const uniqueTokens = distinct(m.sent, (d) => d.key);
  const newEmails = new Set(m.sent.filter((d) => !d.known).map((d) => d.email)).size;
  const visible = await toVisible(fixture.integrationId, m.measured);
  const db = await typeformStored(sql, fixture);
  const duplicatesStored = db.responses - uniqueTokens;
  const leadsExtra = db.typeform_leads - newEmails;
  const ok = s.p.non_200 === 0 && s.b.non_200 === 0 && duplicatesStored === 0 && db.tokens === uniqueTokens &&
    db.not_imported === 0 && db.linked === uniqueTokens && leadsExtra === 0 && db.lead_emails === db.distinct_emails &&
    s.resentDuplicate === m.resent.length && s.racedStored === SHAPE.race && s.answersOk;
  console.log(
    `\n  typeform: ${ROUNDS} x ${CONCURRENCY} concurrent signed form_response (~${Math.round(m.sent.at(-1).body.length / 1024)} KB each, ` +
      `1 in 4 from a known contact), time to acknowledge (ms; stored, then the lead is created or matched after)\n` +
      ackLines('typeform-webhook', s.p, s.b, s.ratio, m.rounds) +
      `\n  duplicates: ${m.resent.length} re-sent (answered duplicate: ${s.resentDuplicate}/${m.resent.length}), ` +
      `${SHAPE.race} sent twice at once (stored ${s.racedStored}/${SHAPE.race})\n` +
      `    stored: ${db.responses} responses for ${uniqueTokens} distinct tokens, ${db.linked} linked to a lead, ` +
      `${db.typeform_leads} new leads for ${newEmails} new addresses, ${db.lead_emails} lead e-mails (${db.distinct_emails} distinct)\n` +
      `    duplicates stored ${duplicatesStored}, extra leads ${leadsExtra}  (target 0); not imported ${db.not_imported} (target 0)\n` +
      `  receipt -> lead visible (ms, measured rounds): p50 ${visible.p50}   p99 ${visible.p99}   (n ${visible.n})`,
  );
  return {
    ok,
    result: {
      product: s.p, baseline: s.b, ratio: { ...s.ratio, p99_round_median: medianRoundRatio(m.rounds) }, per_round: m.rounds, to_visible_ms: visible, not_imported: db.not_imported,
      duplicates: {
        resent: m.resent.length, resent_answered_duplicate: s.resentDuplicate, raced: SHAPE.race, raced_stored: s.racedStored,
        responses: db.responses, distinct_tokens_sent: uniqueTokens, new_leads: db.typeform_leads,
        distinct_new_emails_sent: newEmails, stored: duplicatesStored, extra_leads: leadsExtra,
      },
    },
  };
}

await runBench(async () => {
  const unknown = PROVIDERS.filter((p) => !['fathom', 'zoom', 'typeform'].includes(p));
  if (unknown.length) throw new Error(`BENCH_WEBHOOK_PROVIDERS: unknown ${unknown.join(', ')}`);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  stack = await benchStack({
    gatewayExtraEnv: {
      EXTRA_FUNCTIONS: 'webhook-baseline=bench/webhook/baseline-handler.ts',
      BENCH_WEBHOOK_SECRET: secret,
    },
  });
  const dbLabel = stack.database ? `PostgreSQL (disposable database ${stack.database.name})` : 'PGlite (embedded)';
  console.log(`bench/webhook  db: ${dbLabel}  concurrency: ${CONCURRENCY}  rounds: ${ROUNDS}  providers: ${PROVIDERS.join(', ')}`);
  sql = postgres(stack.urls.db, { max: 1, prepare: false, onnotice: () => {} });
  // the baseline's inbox: a bare table, no index but its key
  await sql`create table if not exists public.bench_webhook_baseline (
              id text primary key, body text not null, received_at timestamptz not null default now())`;
  // the shared fixture script: team, leads, connected Fathom integration, webhook route
  const fixture = await runDenoScript('bench/import/connect.ts', { env: { ...stack.env, BENCH_WEBHOOK_SECRET: secret } });
  const contacts = fixture.leadEmails.map((email) => ({
    email,
    name: email.split('@')[0].split('.').map((w) => w[0].toUpperCase() + w.slice(1)).join(' '),
  }));
  contacts.push({ email: 'someone@newco.example', name: 'Someone' }); // not a lead: stored, not linked
  const baseline = {
    url: `${stack.urls.api}/functions/v1/webhook-baseline/${fixture.routeId}`,
    fresh: (n) => fathomBatch(secret, contacts, n),
  };

  const results = {};
  let ok = true;
  for (const provider of PROVIDERS) {
    let part;
    if (provider === 'fathom') part = await fathomRound(baseline, fixture, contacts, secret);
    else if (provider === 'zoom') part = await zoomRound(baseline, contacts);
    else part = await typeformRound(baseline, contacts);
    results[provider] = part.result;
    ok &&= part.ok;
  }
  console.log(
    'BENCH_RESULT ' +
      JSON.stringify({
        bench: 'webhook',
        db: stack.database ? 'postgresql' : 'pglite',
        concurrency: CONCURRENCY,
        rounds: ROUNDS,
        // Fathom's figures at the top level, as before the other providers came
        ...(results.fathom ?? {}),
        providers: results,
        ok,
      }),
  );
  return ok;
}, cleanup);
