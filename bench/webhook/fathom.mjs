// bench/webhook's Fathom deliveries: Meeting bodies as a webhook with include_transcript/summary/action_items
// delivers them (~15 KB), signed with Standard Webhooks (the product's fathom-webhook and the baseline both verify
// them).
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const SANDY = { name: 'Sandy Sandbox', email: 'sandy@sandbox.fathom.test', email_domain: 'sandbox.fathom.test' };

let nextRecording = 700_000_000 + Math.floor(Math.random() * 1_000_000);
export const SENTENCES = [
  'Thanks for making the time today.', 'Could you walk us through the current process?',
  'We have about forty people on the sales team.', 'Pricing depends on the number of seats.',
  'Security review usually takes two weeks on our side.', 'Let us schedule a follow-up with procurement.',
  'The integration with our CRM is the main requirement.', 'I will send over the proposal by Friday.',
];

/** A Fathom Meeting for `contact` ({ name, email }), the i-th of its batch, with a fresh recording_id. */
export function meeting(contact, i) {
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

/** A Delivery (load.mjs) of `body`, signed now with the whsec_ `secret`; id = the webhook-id, key = recording_id. */
export function signed(secret, body) {
  const id = `msg_${randomBytes(12).toString('hex')}`;
  const at = new Date();
  const text = JSON.stringify(body);
  return {
    id,
    key: String(body.recording_id),
    body: text,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, text),
    },
  };
}

/** `n` fresh signed meetings, one per contact in turn. */
export function fathomBatch(secret, contacts, n) {
  return Array.from({ length: n }, (_, i) => signed(secret, meeting(contacts[i % contacts.length], i)));
}
