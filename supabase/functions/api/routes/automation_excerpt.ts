// Who sees what an endpoint answered (issue 11, second attacker's findings): the engine stores a send_webhook
// step's `response_excerpt` (engine/excerpt.ts: scrubbed of the endpoint's URL and credentials, but an answer can
// still say what only the endpoint's owner should read), and the route decides who reads it. Team admins (who
// manage endpoints) get it; members get the answer's status and EXCERPT_FOR_ADMINS in `response_excerpt_note`.
import type { TeamRole } from "../../_shared/auth.ts";

/** The sentence a member gets instead of the excerpt (the run page and the test panel show it). */
export const EXCERPT_FOR_ADMINS = "What the endpoint answered is shown to team owners and admins only.";

/**
 * `output` (a step's output or a dry run's delivery: any JSON) as a caller of `role` may read it: unchanged for
 * owners and admins, or when there is no excerpt; for a member a copy without `response_excerpt` and with
 * `response_excerpt_note: EXCERPT_FOR_ADMINS`.
 */
export function outputForRole<T>(output: T, role: TeamRole): T {
  if (role !== "member" || output === null || typeof output !== "object" || Array.isArray(output)) return output;
  const { response_excerpt: excerpt, ...rest } = output as Record<string, unknown>;
  if (excerpt === undefined || excerpt === null) return output;
  return { ...rest, response_excerpt_note: EXCERPT_FOR_ADMINS } as T;
}
