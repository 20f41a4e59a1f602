import { FATHOM_WEBHOOK_TRIGGERS } from "@/lib/types";

/**
 * Plain words for Fathom's webhook `triggered_for` values (Fathom API reference, "Creating a webhook"). `who` names the connected account.
 */
export function triggerText(trigger: string, who: string): string | null {
  switch (trigger) {
    case "my_recordings":
      return `Recordings made by ${who}, including ones it shares with individual people`;
    case "shared_external_recordings":
      return "Recordings others share with it (people outside its Fathom team)";
    case "my_shared_with_team_recordings":
      return "Its recordings shared with its Fathom team (Team plans)";
    case "shared_team_recordings":
      return "Recordings teammates share with its Fathom team (Team plans)";
    default:
      return null;
  }
}

/**
 * "Which meetings arrive": Fathom sends the CRM only what the connected account can see, so the team chooses by
 * choosing the account. With `triggers` (the integration row's `webhook_triggers`) the list is what this
 * connection's webhook asked for; without, every kind Fathom offers. `accountName` names the connected account.
 */
export function FathomRecordingsExplainer({
  triggers,
  accountName,
}: {
  triggers?: string[] | null;
  accountName?: string | null;
}) {
  const who = accountName ? `${accountName}'s Fathom account` : "the connected Fathom account";
  const lines = (triggers ?? FATHOM_WEBHOOK_TRIGGERS)
    .map((t) => triggerText(t, who))
    .filter((s): s is string => s !== null);
  return (
    <section aria-labelledby="fathom-arrive-title" className="rounded-lg border border-border p-4 text-sm">
      <h3 id="fathom-arrive-title" className="font-semibold">
        Which meetings arrive
      </h3>
      {lines.length > 0 && (
        <ul className="mt-2 list-disc space-y-1 pl-5 text-muted-foreground">
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
      <p className="mt-2 text-muted-foreground">
        Fathom sends only what the connected account can see, so connect the Fathom account whose calls this team
        wants: for example a shared sales account your reps record with or share their calls with, or a rep's own
        account.
      </p>
    </section>
  );
}
