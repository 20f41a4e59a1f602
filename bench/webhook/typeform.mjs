// bench/webhook's Typeform round: form_response deliveries as Typeform sends them (T12: event_id, event_type,
// form_response with the form's definition and the answers), for the form connect-typeform.ts enabled, signed as
// Typeform signs them: Typeform-Signature = "sha256=" + base64(HMAC-SHA256(form secret, raw body)). Three responses in
// four come from new people (a lead is created), one in four from a contact of the other rounds (most of them leads
// already: matched by e-mail).
// Typeform's retry sends the same body, so the same signature (there is no timestamp).
import { createHmac, randomBytes } from 'node:crypto';

const COMPANIES = ['northwind', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay', 'stark', 'wayne'];
const MESSAGES = [
  'We are looking for a CRM that picks up our recorded calls.', 'Could we get a demo next week?',
  'Our team of forty needs lead routing and Slack alerts.', 'Interested in pricing for the annual plan.',
];

export function typeformSignature(secret, body) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
}

/**
 * The product side of the Typeform round for measureRounds (load.mjs). `fixture` is connect-typeform.ts's answer,
 * `contacts` the other rounds' attendees ({ name, email }; leads where fixture.leadEmails says so), `drain` resolves
 * when the inbox has ingested everything acknowledged. Delivery id = the inbox's message id "<form id>:<token>"
 * (webhook_deliveries.webhook_message_id), key = the response token (Typeform's dedupe key: typeform_responses
 * (team, form, response_token)); `email` = the address it answers with, `known` = whether a lead had it before the
 * bench began.
 */
export function typeformProduct({ url, fixture, contacts, drain }) {
  let made = 0;
  const leadEmails = new Set(fixture.leadEmails);
  const [emailField, nameField, companyField, seatsField, messageField] = fixture.fields;
  const ref = (f) => ({ id: f.id, type: f.type, ref: f.ref });
  function response() {
    const i = made++;
    const token = randomBytes(16).toString('hex');
    const contact = i % 4 === 0 ? contacts[(i / 4) % contacts.length] : null;
    const company = COMPANIES[i % COMPANIES.length];
    const email = contact?.email ?? `prospect.${token.slice(0, 10)}@${company}.example`;
    const name = contact?.name ?? `Prospect ${token.slice(0, 6)}`;
    // a contact who is not a lead (someone@newco.example) becomes one on their first response
    const known = leadEmails.has(email.toLowerCase());
    const submitted = new Date(Date.parse('2026-01-12T15:00:00Z') + i * 60_000);
    const body = JSON.stringify({
      event_id: `01J${randomBytes(12).toString('hex').toUpperCase()}`,
      event_type: 'form_response',
      form_response: {
        form_id: fixture.formId,
        token,
        landed_at: new Date(submitted.getTime() - 95_000).toISOString().replace('.000', ''),
        submitted_at: submitted.toISOString().replace('.000', ''),
        hidden: { utm_source: 'website' },
        calculated: { score: 0 },
        variables: [{ key: 'score', type: 'number', number: 0 }],
        definition: {
          id: fixture.formId,
          title: 'Talk to sales',
          fields: fixture.fields.map((f) => ({ ...f, properties: {} })),
          endings: [{ id: 'DefaultTyScreen', ref: 'default_tys', title: 'Thanks! We will be in touch.', type: 'thankyou_screen', properties: {} }],
        },
        answers: [
          { type: 'email', email, field: ref(emailField) },
          { type: 'text', text: name, field: ref(nameField) },
          { type: 'text', text: `${company[0].toUpperCase()}${company.slice(1)} Inc.`, field: ref(companyField) },
          { type: 'number', number: 5 + (i % 40), field: ref(seatsField) },
          { type: 'text', text: MESSAGES[i % MESSAGES.length], field: ref(messageField) },
        ],
        ending: { id: 'DefaultTyScreen', ref: 'default_tys' },
      },
    });
    return {
      id: `${fixture.formId}:${token}`, key: token, email: email.toLowerCase(), known: Boolean(known), body,
      headers: { 'content-type': 'application/json', 'user-agent': 'Typeform Webhooks', 'typeform-signature': typeformSignature(fixture.secret, body) },
    };
  }
  return {
    url,
    fresh: (n) => Array.from({ length: n }, response),
    again: (d) => d,
    drain,
  };
}

/** What the Typeform round stored for its team: response rows (distinct tokens), refused ones, leads by source. */
export async function typeformStored(sql, fixture) {
  const [db] = await sql`
    select (select count(*)::int from public.typeform_responses where team_id = ${fixture.teamId}) as responses,
           (select count(distinct response_token)::int from public.typeform_responses where team_id = ${fixture.teamId}) as tokens,
           (select count(*)::int from public.typeform_responses where team_id = ${fixture.teamId} and status <> 'imported') as not_imported,
           (select count(*)::int from public.typeform_responses where team_id = ${fixture.teamId} and lead_id is not null) as linked,
           (select count(*)::int from public.leads where team_id = ${fixture.teamId} and source = 'typeform') as typeform_leads,
           (select count(*)::int from public.leads where team_id = ${fixture.teamId}) as leads,
           (select count(*)::int from public.lead_emails where team_id = ${fixture.teamId}) as lead_emails,
           (select count(distinct email_normalized)::int from public.lead_emails where team_id = ${fixture.teamId}) as distinct_emails`;
  return db;
}
