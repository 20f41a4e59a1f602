import { useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ArrowLeft, Loader2, RefreshCw, RotateCcw } from "lucide-react";
import { toast } from "@/lib/toast";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorAlert } from "@/components/ErrorAlert";
import { CodeBlock } from "@/components/automations/CodeBlock";
import { RerunDialog } from "@/components/automations/RerunDialog";
import { runReason, runRuleName } from "@/components/automations/RunList";
import { RunStatusChip, StepStatusChip } from "@/components/automations/RunStatusChip";
import { TaskOutcomes, WebhookDeliveryView } from "@/components/automations/StepOutcome";
import { VersionView } from "@/components/automations/VersionView";
import { useAutomationCatalog, useAutomationRule, useAutomationRun, useRunMutations } from "@/hooks/useAutomations";
import {
  chatPostText,
  readChatPost,
  readNoteOutcome,
  readStageOutcome,
  readTaskOutcomes,
  readWebhookDelivery,
  runAttemptsText,
} from "@/lib/automationOutputs";
import { CONDITION_FIELDS, OP_LABELS, RUN_STATUS_LABELS, actionLabel, inputText, showValue, triggerLabel } from "@/lib/automationText";
import type { Catalog, RunDetail, RunRef, RunStep } from "@/lib/automationTypes";
import { errorMessage, isNotFound } from "@/lib/errorMessages";
import { teamPath } from "@/lib/teamSelection";
import { formatDateTime, formatTime } from "@/lib/utils";
import { NotFoundPage } from "./NotFoundPage";
import { isAdminRole } from "./AutomationsPage";
import { useCurrentTeam } from "./TeamLayout";

/**
 * /teams/:teamId/automations/runs/:runId: one run: the rule as it was at its version (linked to that version's own
 * page), what it acted on, a card per step (status, attempts, what it did: a webhook's body, id and answer; each
 * task with its assignee and why; else its input and output), the run it re-ran and its re-runs. Admins: "Retry
 * failed steps" (dead runs; the same run, succeeded steps kept) and "Re-run" (after a confirmation that says it runs
 * on the CURRENT version and sends messages and webhooks again: a new run of the same event).
 */
export function AutomationRunPage() {
  const team = useCurrentTeam();
  const { runId = "" } = useParams();
  const run = useAutomationRun(team.id, runId);
  const catalog = useAutomationCatalog();
  const m = useRunMutations(team.id);
  const navigate = useNavigate();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const admin = isAdminRole(team.role);
  const [confirmRerun, setConfirmRerun] = useState(false);
  // the rule's current version, for the re-run dialog (admins only: members cannot re-run)
  const current = useAutomationRule(team.id, admin ? (run.data?.rule_id ?? undefined) : undefined);

  if (run.isPending) {
    return (
      <div className="mx-auto w-full max-w-4xl space-y-3 px-4 py-8 md:px-8">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-32 w-full" />
      </div>
    );
  }
  if (run.isError) {
    if (isNotFound(run.error)) {
      return (
        <NotFoundPage title="Run not found" back={teamPath(team.id, "automations/runs")} backLabel="Go to the run log">
          <p>This run doesn't exist any more (its automation was deleted), or it belongs to another team.</p>
        </NotFoundPage>
      );
    }
    return (
      <div className="mx-auto max-w-4xl px-4 py-8">
        <ErrorAlert title="Couldn't load the run" error={run.error} onRetry={() => run.refetch()} />
      </div>
    );
  }
  const r = run.data;
  const reason = runReason(r);

  const retry = () =>
    m.retry.mutate(r.id, {
      onSuccess: () => {
        toast.success("Retrying the failed steps");
        headingRef.current?.focus();
      },
      onError: (e) => toast.error(errorMessage(e)),
    });
  // the server answers 409 to a re-run while this run is still live: say so on the button instead
  const rerunBlocked = RERUN_BLOCKED[r.status] ?? null;
  const rerun = () => {
    if (rerunBlocked) return;
    m.rerun.mutate(r.id, {
      onSuccess: (created) => {
        setConfirmRerun(false);
        toast.success("Re-run started on the current version");
        navigate(teamPath(team.id, `automations/runs/${encodeURIComponent(created.id)}`));
      },
      onError: (e) => {
        setConfirmRerun(false);
        toast.error(errorMessage(e));
      },
    });
  };
  const attempts = runAttemptsText(r);
  const ruleName = runRuleName(r);
  const currentRule = current.data?.rule ?? null;

  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-8 md:px-8">
      <Link to={teamPath(team.id, "automations/runs")} className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden="true" />
        Run log
      </Link>
      <div className="mt-3 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 ref={headingRef} tabIndex={-1} className="break-words text-2xl font-semibold tracking-tight outline-none">
            {r.rule_id ? (
              <Link to={teamPath(team.id, `automations/${encodeURIComponent(r.rule_id)}`)} className="hover:underline">
                {ruleName.name}
              </Link>
            ) : (
              ruleName.name
            )}
            <span className="ml-2 text-base font-normal text-muted-foreground">run</span>
          </h1>
          {ruleName.renamed && (
            <p className="mt-1 text-sm text-muted-foreground">
              Ran version {r.version ?? "?"}; the automation has since been renamed “{ruleName.renamed}”.
            </p>
          )}
          <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
            <RunStatusChip status={r.status} />
            {r.version !== null && <span className="text-muted-foreground">version {r.version}</span>}
            <span className="text-muted-foreground">· {formatDateTime(r.created_at)}</span>
            {attempts && <span className="text-muted-foreground">· {attempts}</span>}
          </div>
          {reason && <p className={r.status === "dead" ? "mt-2 text-sm text-red-700" : "mt-2 text-sm text-muted-foreground"}>{reason}</p>}
        </div>
        {admin && (
          <div className="flex flex-wrap gap-2">
            {r.status === "dead" && (
              <Button onClick={retry} disabled={m.retry.isPending}>
                {m.retry.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <RefreshCw aria-hidden="true" />}
                Retry failed steps
              </Button>
            )}
            <Button
              variant="outline"
              onClick={() => {
                if (!rerunBlocked) setConfirmRerun(true);
              }}
              disabled={m.rerun.isPending}
              aria-disabled={rerunBlocked ? true : undefined}
              aria-describedby={rerunBlocked ? "rerun-blocked" : undefined}
              className={rerunBlocked ? "cursor-not-allowed opacity-60" : undefined}
            >
              {m.rerun.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <RotateCcw aria-hidden="true" />}
              Re-run
            </Button>
            {rerunBlocked && (
              <p id="rerun-blocked" className="basis-full text-sm text-muted-foreground">
                {rerunBlocked}
              </p>
            )}
          </div>
        )}
      </div>

      {admin && (
        <RerunDialog
          open={confirmRerun}
          onOpenChange={setConfirmRerun}
          onConfirm={rerun}
          pending={m.rerun.isPending}
          runVersion={r.version}
          current={currentRule ? { version: currentRule.version, actions: currentRule.actions } : null}
          catalog={catalog.data}
        />
      )}

      <RunSubject teamId={team.id} run={r} />
      <RerunLinks teamId={team.id} run={r} />

      <section aria-labelledby="steps-heading" className="mt-8">
        <h2 id="steps-heading" className="mb-3 text-base font-semibold">
          Steps
        </h2>
        {r.steps.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            {r.status === "skipped" ? "No step ran." : "No step has run yet."}
          </p>
        ) : (
          <ol className="flex flex-col gap-3">
            {r.steps.map((s) => (
              <StepCard key={s.step_index} teamId={team.id} run={r} step={s} catalog={catalog.data} />
            ))}
          </ol>
        )}
      </section>

      {r.conditions_result && r.conditions_result.results.length > 0 && (
        <section aria-labelledby="conditions-heading" className="mt-8">
          <h2 id="conditions-heading" className="mb-3 text-base font-semibold">
            Conditions {r.conditions_result.passed ? "met" : "not met"}
          </h2>
          <ul className="flex flex-col gap-1 text-sm">
            {r.conditions_result.results.map((c, i) => (
              <li key={i}>
                {c.passed ? "✓" : "✗"} {CONDITION_FIELDS[c.field]?.label ?? c.field} {OP_LABELS[c.op] ?? c.op} {showValue(c.value)}{" "}
                <span className="text-muted-foreground">(actual: {showValue(c.actual)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <RuleAsItWas teamId={team.id} run={r} catalog={catalog.data} />
    </div>
  );
}

function RunSubject({ teamId, run }: { teamId: string; run: RunDetail }) {
  const meeting = run.meeting;
  const lead = run.lead;
  const ctx = run.context as { event?: { type?: unknown; source?: unknown } } | null;
  if (!meeting && !lead && !ctx?.event) return null;
  return (
    <section aria-labelledby="context-heading" className="mt-6 rounded-lg border border-border p-4 text-sm">
      <h2 id="context-heading" className="mb-2 font-semibold">
        What it acted on
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        {typeof ctx?.event?.type === "string" && (
          <>
            <dt className="text-muted-foreground">Event</dt>
            <dd>
              {triggerLabel(ctx.event.type)}
              {typeof ctx.event.source === "string" && ` (${ctx.event.source})`}
            </dd>
          </>
        )}
        {meeting && (
          <>
            <dt className="text-muted-foreground">Meeting</dt>
            <dd>
              <Link className="underline" to={teamPath(teamId, `meetings/${encodeURIComponent(meeting.id)}`)}>
                {meeting.title || "Untitled meeting"}
              </Link>
            </dd>
          </>
        )}
        {lead && (
          <>
            <dt className="text-muted-foreground">Lead</dt>
            <dd>
              <Link className="underline" to={teamPath(teamId, `leads/${encodeURIComponent(lead.id)}`)}>
                {lead.name || "Unnamed lead"}
              </Link>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function json(v: unknown): string {
  if (typeof v === "string") return v;
  return JSON.stringify(v, null, 2) ?? "";
}

function StepCard({ teamId, run, step, catalog }: { teamId: string; run: RunDetail; step: RunStep; catalog: Catalog | undefined }) {
  const hasInput = step.resolved_input !== null && step.resolved_input !== undefined;
  const hasOutput = step.output !== null && step.output !== undefined;
  const n = step.step_index + 1;
  // what the step did, when its output says it in the engine's shape; else its input and output as they are
  const delivery = step.action_type === "send_webhook" ? readWebhookDelivery(step.output) : null;
  const tasks = step.action_type === "create_tasks" ? readTaskOutcomes(step.output) : null;
  const note = step.action_type === "add_note" ? readNoteOutcome(step.output) : null;
  const stage = step.action_type === "set_stage" ? readStageOutcome(step.output) : null;
  const chat = step.action_type === "post_slack" || step.action_type === "post_discord" ? readChatPost(step.output) : null;
  // a failed step of a run that is still retrying is one failed attempt, not the end: it runs again at next_attempt_at
  const willRetry = step.status === "failed" && run.status === "retrying";
  const lead = run.lead ? (
    <Link className="underline" to={teamPath(teamId, `leads/${encodeURIComponent(run.lead.id)}`)}>
      {run.lead.name || "the lead"}
    </Link>
  ) : (
    "the lead"
  );
  return (
    <li className="rounded-lg border border-border" data-testid="step-card">
      <div className="flex flex-wrap items-center gap-2 border-b border-border px-4 py-2">
        <h3 className="flex-1 text-sm font-semibold">
          {n}. {actionLabel(step.action_type, catalog)}
        </h3>
        {willRetry ? <Badge variant="warning">Will retry</Badge> : <StepStatusChip status={step.status} />}
        <span className="text-xs text-muted-foreground">
          {step.attempts} {step.attempts === 1 ? "attempt" : "attempts"}
        </span>
      </div>
      <div className="flex flex-col gap-2 p-4 text-sm">
        {(step.error_code || step.error_message) && (
          <p className="text-red-700">
            {step.error_message || step.error_code}
            {step.error_code && step.error_message && <span className="ml-1 font-mono text-xs">({step.error_code})</span>}
          </p>
        )}
        {delivery ? (
          <WebhookDeliveryView delivery={delivery} label={`Body sent by step ${n}`} />
        ) : tasks ? (
          <TaskOutcomes teamId={teamId} runId={run.id} tasks={tasks} />
        ) : chat ? (
          <div>
            <p data-testid="chat-outcome">
              {chatPostText(chat)}
              {chat.postedAt && (
                <>
                  {" at "}
                  <time dateTime={chat.postedAt} title={formatDateTime(chat.postedAt)}>
                    {formatTime(chat.postedAt)}
                  </time>
                </>
              )}
              .
            </p>
            {hasInput && <CodeBlock label={`Message of step ${n}`}>{inputText(step.resolved_input)}</CodeBlock>}
          </div>
        ) : stage ? (
          <p data-testid="stage-outcome">
            {stage.moved ? (
              <>
                Moved {lead} from {stage.from} to {stage.to}.
              </>
            ) : (
              <>
                Left {lead} at {stage.stage}
                {stage.reason ? `: ${stage.reason}` : ""}.
              </>
            )}
          </p>
        ) : note ? (
          <div>
            <p data-testid="note-outcome">
              {note.created ? <>Added this note to {lead}:</> : <>This note was already on {lead} (found by its key, not added again):</>}
            </p>
            <CodeBlock label={`Note of step ${n}`}>{inputText(step.resolved_input)}</CodeBlock>
          </div>
        ) : (
          <>
            {hasInput && step.action_type !== "send_webhook" && (
              <div>
                <div className="text-xs font-medium text-muted-foreground">Input</div>
                <CodeBlock label={`Input of step ${n}`}>{inputText(step.resolved_input)}</CodeBlock>
              </div>
            )}
            {step.action_type === "send_webhook" && !hasOutput && (
              <p className="text-muted-foreground">Nothing was sent.</p>
            )}
            {hasOutput && (
              <div>
                <div className="text-xs font-medium text-muted-foreground">Output</div>
                <CodeBlock label={`Output of step ${n}`}>{json(step.output)}</CodeBlock>
              </div>
            )}
          </>
        )}
        {willRetry ? (
          <p className="text-xs text-muted-foreground" data-testid="step-retry">
            Attempt {step.attempts} failed{step.finished_at ? ` at ${formatDateTime(step.finished_at)}` : ""}
            {run.next_attempt_at ? `, next try at ${formatDateTime(run.next_attempt_at)}` : ", it will be tried again"}.
          </p>
        ) : (
          step.finished_at && <p className="text-xs text-muted-foreground">Finished {formatDateTime(step.finished_at)}</p>
        )}
      </div>
    </li>
  );
}

/** "Re-run of <the run it re-ran>" and, on a run that was re-run, a link to each of its re-runs. */
function RerunLinks({ teamId, run }: { teamId: string; run: RunDetail }) {
  const name = (x: RunRef) => {
    const bits = [x.version != null ? `version ${x.version}` : null, (RUN_STATUS_LABELS[x.status] ?? x.status).toLowerCase()];
    return `the run of ${formatDateTime(x.created_at)} (${bits.filter(Boolean).join(", ")})`;
  };
  const link = (x: RunRef) => (
    <Link className="underline" to={teamPath(teamId, `automations/runs/${encodeURIComponent(x.id)}`)}>
      {name(x)}
    </Link>
  );
  if (!run.retry_of && run.retries.length === 0) return null;
  return (
    <div className="mt-2 flex flex-col gap-1 text-sm text-muted-foreground">
      {run.retry_of && (
        <p>
          Re-run of{" "}
          {run.retry_of_run ? (
            link(run.retry_of_run)
          ) : (
            <Link className="underline" to={teamPath(teamId, `automations/runs/${encodeURIComponent(run.retry_of)}`)}>
              an earlier run
            </Link>
          )}
          .
        </p>
      )}
      {run.retries.length > 0 && (
        <div>
          Re-run {run.retries.length === 1 ? "once" : `${run.retries.length} times`}:
          <ul className="ml-5 list-disc">
            {run.retries.map((x) => (
              <li key={x.id}>{link(x)}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function RuleAsItWas({ teamId, run, catalog }: { teamId: string; run: RunDetail; catalog: Catalog | undefined }) {
  const v = run.version_rule;
  if (!v) return null;
  return (
    <section aria-labelledby="version-heading" className="mt-8 rounded-lg border border-border p-4 text-sm">
      <h2 id="version-heading" className="mb-2 font-semibold">
        The automation as it was (version {v.version})
      </h2>
      <VersionView version={v} catalog={catalog} />
      {run.rule_id && (
        <p className="mt-2">
          <Link
            className="underline"
            to={`${teamPath(teamId, `automations/${encodeURIComponent(run.rule_id)}/versions/${v.version}`)}?run=${encodeURIComponent(run.id)}`}
          >
            Open version {v.version}
          </Link>
        </p>
      )}
    </section>
  );
}

/** Why Re-run waits, per live run status (the server refuses a re-run of these with 409 not_retryable). */
const RERUN_BLOCKED: Partial<Record<string, string>> = {
  queued: "Re-run is possible once this run has finished: it is waiting to start.",
  running: "Re-run is possible once this run has finished: it is running now.",
  retrying: "Re-run is possible once this run has finished: it will try the failed step again.",
};
