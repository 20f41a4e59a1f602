// The one Typeform account the sandbox knows: who clicks "Accept", its forms (with fields of the types a CRM maps),
// the app's defaults and Typeform's limits (providers.md §4).

export const TYPEFORM_PREFIX = "/typeform";

/** What GET /me answers (T3: alias, email, language; `user_id` is UNCONFIRMED, so it is left out). */
export const ACCOUNT = { alias: "Sandy Sandbox", email: "sandy@typeform-sandbox.test", language: "en" } as const;

export const DEFAULT_CLIENT = { clientId: "sandbox-typeform-client-id", clientSecret: "sandbox-typeform-client-secret" };

/** "The default is 7 days" (T5). */
export const ACCESS_TOKEN_TTL_SECONDS = 604_800;
export const CODE_TTL_SECONDS = 600;
/** "2 requests per second per Typeform account" (T11). */
export const RATE_LIMIT_PER_SECOND = 2;

/** Typeform's scopes (T4); anything else at authorize is invalid_scope. */
export const KNOWN_SCOPES = new Set([
  "offline", "accounts:read", "forms:read", "forms:write", "webhooks:read", "webhooks:write", "responses:read",
  "responses:write", "images:read", "themes:read", "workspaces:read",
]);

export interface FieldDef {
  id: string;
  ref: string;
  title: string;
  /** Typeform field types: email, short_text, long_text, dropdown, yes_no, opinion_scale, number, ... */
  type: string;
  /** dropdown / multiple_choice */
  choices?: string[];
}

export interface FormDef {
  id: string;
  title: string;
  /** ISO 8601; GET /forms lists newest first */
  created_at: string;
  fields: FieldDef[];
}

export const FORMS: readonly FormDef[] = [
  {
    id: "cT1cXk9a",
    title: "Contact us",
    created_at: "2026-01-10T09:00:00Z",
    fields: [
      { id: "Fe1mAiL0aaaa", ref: "email", title: "What's your email?", type: "email" },
      { id: "Fn4mE0bbbbbb", ref: "name", title: "What's your name?", type: "short_text" },
      { id: "FcOmP0cccccc", ref: "company", title: "Company", type: "short_text" },
      { id: "FhElP0dddddd", ref: "message", title: "How can we help?", type: "long_text" },
    ],
  },
  {
    id: "wB8nR2qL",
    title: "Webinar sign-up",
    created_at: "2026-02-03T14:30:00Z",
    fields: [
      { id: "Wn4mE0eeeeee", ref: "full_name", title: "Full name", type: "short_text" },
      { id: "We1mAiL0ffff", ref: "work_email", title: "Work e-mail", type: "email" },
      { id: "WsIzE0gggggg", ref: "team_size", title: "Team size", type: "dropdown", choices: ["1-10", "11-50", "51+"] },
      { id: "WnEwS0hhhhhh", ref: "newsletter", title: "Subscribe to the newsletter?", type: "yes_no" },
    ],
  },
  {
    id: "fD3kP7sV",
    title: "Product feedback",
    created_at: "2026-02-20T08:15:00Z",
    fields: [
      { id: "FsCoRe0iiiii", ref: "nps", title: "How likely are you to recommend us?", type: "opinion_scale" },
      { id: "FtExT0jjjjjj", ref: "comments", title: "Anything else?", type: "long_text" },
    ],
  },
];

export function formById(id: string): FormDef | undefined {
  return FORMS.find((f) => f.id === id);
}
