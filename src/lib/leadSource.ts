import { isProviderId, providerEntry } from "./providers";
import type { Lead } from "./types";

/** How long a form title may read in the lead's source line (the whole title is the badge's tooltip). */
const FORM_TITLE_CHARS = 60;

/**
 * Where a lead came from, as its Details card says it: `leads.source` is 'manual' or the slug of the provider that
 * created it (leads_source_check), and a Typeform lead also names its form (`source_form_title`, the API's title of
 * its first response's form):
 *   manual -> "Added manually"; a meetings provider -> "Created from a Zoom meeting"; a forms provider ->
 *   "Created from Typeform (Contact us)", or "Created from Typeform" when the form is not known; another provider of
 *   the catalog -> "Created from Slack"; a slug this build does not know -> "Created from <slug>".
 */
export function leadSourceText(lead: Pick<Lead, "source" | "source_form_title">): string {
  const source = lead.source?.trim();
  if (!source || source === "manual") return "Added manually";
  if (!isProviderId(source)) return `Created from ${source}`;
  const entry = providerEntry(source);
  if (entry.category === "meetings") return `Created from a ${entry.name} meeting`;
  const form = lead.source_form_title?.replace(/\s+/g, " ").trim();
  if (entry.category === "forms" && form) return `Created from ${entry.name} (${clip(form)})`;
  return `Created from ${entry.name}`;
}

function clip(text: string): string {
  const chars = [...text];
  return chars.length <= FORM_TITLE_CHARS ? text : `${chars.slice(0, FORM_TITLE_CHARS - 1).join("")}…`;
}
