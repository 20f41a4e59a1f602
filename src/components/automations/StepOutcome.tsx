import { Link } from "react-router-dom";
import { CodeBlock } from "./CodeBlock";
import {
  ASSIGNEE_REASONS,
  madeByText,
  type TaskOutcomeView,
  type WebhookDeliveryView,
} from "@/lib/automationOutputs";
import { teamPath } from "@/lib/teamSelection";

/**
 * What a send_webhook step sent and what came back (run page and dry run): the endpoint by name, the webhook-id,
 * the answer's status (with the endpoint's scrubbed words on failure: owners and admins only; a member reads the
 * API's sentence saying so) and the JSON body exactly as sent; not sent
 * (a dry run, or refused before the POST), the body it would send. `label` names the body's region for screen
 * readers ("Body sent by step 2").
 */
export function WebhookDeliveryView({ delivery, label }: { delivery: WebhookDeliveryView; label: string }) {
  const sent = delivery.sent;
  const ok = delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
  return (
    <div className="flex flex-col gap-1" data-testid="webhook-delivery">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-muted-foreground">Endpoint</dt>
        <dd>{delivery.endpointName ?? <span className="text-red-700">removed</span>}</dd>
        {!sent && (
          <>
            <dt className="text-muted-foreground">Sent</dt>
            <dd>no</dd>
          </>
        )}
        {sent && (
          <>
            <dt className="text-muted-foreground">webhook-id</dt>
            <dd className="break-all font-mono text-xs">{delivery.webhookId ?? "—"}</dd>
            <dt className="text-muted-foreground">Answer</dt>
            <dd className={ok ? undefined : "text-red-700"}>
              {delivery.status === null ? "no answer" : `HTTP ${delivery.status}${ok ? " (delivered)" : ""}`}
            </dd>
          </>
        )}
      </dl>
      {delivery.excerpt && (
        <div>
          <div className="text-xs font-medium text-muted-foreground">
            What the endpoint answered (the start of it; its address and anything like a credential removed; shown to
            owners and admins only)
          </div>
          <CodeBlock label={`Answer to ${label}`}>{delivery.excerpt}</CodeBlock>
        </div>
      )}
      {!delivery.excerpt && delivery.excerptNote && (
        <p className="text-xs text-muted-foreground" data-testid="excerpt-note">{delivery.excerptNote}</p>
      )}
      <div>
        <div className="text-xs font-medium text-muted-foreground">{sent ? "JSON body sent" : "JSON body it would send"}</div>
        <CodeBlock label={label}>{JSON.stringify(delivery.body, null, 2) ?? ""}</CodeBlock>
      </div>
    </div>
  );
}

/**
 * A create_tasks step's tasks: title (linked to the task's lead, where its tasks are listed), assignee and why,
 * due date, and "already existed" (with who made it) for a task the step found instead of making it again; in the
 * dry run (`runId` null) the tasks it would create, each "would be created".
 */
export function TaskOutcomes({ teamId, runId, tasks }: { teamId: string; runId: string | null; tasks: TaskOutcomeView[] }) {
  if (tasks.length === 0) {
    return <p className="text-muted-foreground">No task: the meeting {runId ? "had" : "has"} no open action item.</p>;
  }
  return (
    <ul className="flex flex-col gap-2" aria-label="Tasks">
      {tasks.map((t) => (
        <li key={t.id} className="rounded border border-border px-3 py-2" data-testid="task-outcome">
          <div className="flex flex-wrap items-baseline gap-x-2">
            {t.leadId ? (
              <Link className="font-medium underline" to={teamPath(teamId, `leads/${encodeURIComponent(t.leadId)}`)}>
                {t.title}
              </Link>
            ) : (
              <span className="font-medium">{t.title}</span>
            )}
            <span className={t.outcome === "created" ? "text-xs text-green-700" : "text-xs text-muted-foreground"}>
              {t.outcome === "created" ? "created" : t.outcome === "would_create" ? "would be created" : madeByText(t.madeBy, runId ?? "")}
            </span>
          </div>
          <div className="text-xs text-muted-foreground">
            Assignee: {t.assignee ? t.assignee.name || "a team member" : "nobody"}
            {t.reason && t.reason !== "nobody" && ` (${ASSIGNEE_REASONS[t.reason]})`}
            {t.reason === "nobody" && ` (${ASSIGNEE_REASONS.nobody})`}
            {!t.reason && t.outcome === "already_existed" && " (as the existing task has it)"}
            {" · "}
            {t.dueOn ? `due ${t.dueOn}` : "no due date"}
          </div>
        </li>
      ))}
    </ul>
  );
}
