import { useQuery } from "@tanstack/react-query";
import { request } from "@/lib/api";

export interface PostingRule {
  id: string;
  name: string;
  enabled: boolean;
}

/** The rules of GET .../automations?posts_to=<provider> as {id, name, enabled}; odd entries are dropped. */
export function parsePostingRules(body: unknown): PostingRule[] {
  const rules = (body as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((r) => {
    const o = r as { id?: unknown; name?: unknown; enabled?: unknown } | null;
    return o && typeof o.id === "string" && typeof o.name === "string" ? [{ id: o.id, name: o.name, enabled: o.enabled === true }] : [];
  });
}

/** "2 automations post here: X, Y. They will fail until you reconnect." (null when none that is on posts here) */
export function postingRulesText(rules: PostingRule[]): string | null {
  const on = rules.filter((r) => r.enabled).map((r) => `"${r.name}"`);
  if (on.length === 0) return null;
  const one = on.length === 1;
  return `${one ? "1 automation posts" : `${on.length} automations post`} here: ${on.join(", ")}. ${one ? "It" : "They"} will fail until you reconnect (and pause after repeated failures).`;
}

/**
 * The disconnect dialog's warning for a chat provider: the automations that are on and post to it, by name, fetched
 * when the dialog opens (it is rendered inside it). Part of the lazily loaded provider dialog's chunk, not the
 * Integrations page's: its script budget. Says nothing while loading or when the list cannot be read (the
 * disconnect itself does not depend on it).
 */
export default function ChatPostingRules({ teamId, provider }: { teamId: string; provider: string }) {
  const rules = useQuery({
    queryKey: ["automations", teamId, "posts_to", provider],
    queryFn: async () => parsePostingRules(await request(`api/teams/${encodeURIComponent(teamId)}/automations?posts_to=${encodeURIComponent(provider)}`)),
  });
  const text = rules.data ? postingRulesText(rules.data) : null;
  if (!text) return null;
  return (
    <span className="block font-medium text-red-700" data-testid="posting-rules">
      {text}
    </span>
  );
}
