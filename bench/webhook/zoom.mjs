// bench/webhook's Zoom round: recordings made in the Zoom sandbox (POST /zoom/_sandbox/recordings with deliver:
// false: a host, the attendees, a WebVTT transcript ready), so that the product's import finds their participants
// and downloads their transcript there, as it would at Zoom; the bench itself sends `recording.completed` as Zoom
// sends it (compact JSON, payload.object = the recording as the sandbox's API shows it, a download_token), signed
// with the app's secret token: x-zm-signature = "v0=" + hex(HMAC-SHA256(token, "v0:<ts>:<raw body>")),
// x-zm-request-timestamp = ts in seconds (dev/zoom-sandbox/webhooks.ts, providers.md §3).
import { createHmac, randomBytes } from 'node:crypto';

/** Zoom's two headers for `body`, signed now. */
export function zoomHeaders(secretToken, body) {
  const ts = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Zoom Marketplace/1.0a',
    'x-zm-request-timestamp': ts,
    'x-zm-signature': `v0=${createHmac('sha256', secretToken).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
}

/**
 * The product side of the Zoom round for measureRounds (load.mjs). `sandboxUrl` is the sandbox family's base
 * (stack.urls.sandbox), `secretToken` the stack's ZOOM_WEBHOOK_SECRET_TOKEN, `fixture` connect-zoom.ts's answer,
 * `contacts` the attendees to cycle through ({ name, email }). Delivery id = the product's dedupe key
 * ("recording.completed:<uuid>", _shared/zoom/webhook.ts), key = the meeting's uuid.
 */
export function zoomProduct({ url, sandboxUrl, secretToken, fixture, contacts, drain }) {
  let made = 0;
  async function record(contact) {
    const i = made++;
    const response = await fetch(`${sandboxUrl}/zoom/_sandbox/recordings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        hostId: fixture.hostId,
        topic: `${contact.name} x Acme Sales: discovery call`,
        participants: [{ name: contact.name, email: contact.email }],
        transcript: 'now',
        startTime: new Date(Date.parse('2026-01-12T15:00:00Z') + i * 3_600_000).toISOString(),
        durationMinutes: 30,
        deliver: false,
      }),
    });
    if (response.status !== 201) throw new Error(`Zoom sandbox: recording not made (${response.status} ${await response.text()})`);
    return (await response.json()).meeting;
  }
  const delivery = (body, uuid) => ({ id: `recording.completed:${uuid}`, key: uuid, body, headers: zoomHeaders(secretToken, body) });
  return {
    url,
    drain,
    async fresh(n) {
      // made in the sandbox before the burst (not timed), a few at a time
      const meetings = [];
      for (let i = 0; i < n; i += 20) {
        const first = made;
        const chunk = Array.from({ length: Math.min(20, n - i) }, (_, k) => contacts[(first + k) % contacts.length]);
        meetings.push(...(await Promise.all(chunk.map((c) => record(c)))));
      }
      return meetings.map((m) => {
        const body = JSON.stringify({
          event: 'recording.completed',
          event_ts: Date.now(),
          download_token: randomBytes(36).toString('base64url'),
          payload: { account_id: fixture.accountId, object: m },
        });
        return delivery(body, m.uuid);
      });
    },
    // Zoom's retry: the same body, signed again at the time of sending
    again: (d) => ({ ...d, headers: zoomHeaders(secretToken, d.body) }),
  };
}

/**
 * What the Zoom round stored for its team (sql: postgres.js on the bench's database): meetings, distinct uuids among
 * them, delivery rows, rows not imported, meetings with content (the transcript), lead links, import events.
 */
export async function zoomStored(sql, fixture) {
  const [db] = await sql`
    select (select count(*)::int from public.meetings where team_id = ${fixture.teamId}) as meetings,
           (select count(distinct provider_meeting_id)::int from public.meetings where team_id = ${fixture.teamId}) as recordings,
           (select count(*)::int from public.webhook_deliveries where integration_id = ${fixture.integrationId}) as deliveries,
           (select count(*)::int from public.webhook_deliveries where integration_id = ${fixture.integrationId}
              and status <> 'imported') as not_imported,
           (select count(*)::int from public.meetings where team_id = ${fixture.teamId} and content_status = 'complete') as complete,
           (select count(*)::int from public.meeting_leads where team_id = ${fixture.teamId}) as links`;
  return db;
}
