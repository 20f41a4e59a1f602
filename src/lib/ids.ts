/**
 * Whether `id` looks like a UUID (8-4-4-4-12 hex digits, any case): the shape of every lead, meeting and team id.
 * Anything else cannot name a row, so the app shows "not found" without asking the server (which would answer
 * 400 "leadId must be a UUID.").
 */
export function isUuidShape(id: string | null | undefined): id is string {
  return typeof id === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
