import { Link } from "react-router-dom";
import { Skeleton } from "@/components/ui/skeleton";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/select";
import { Label } from "@/components/ui/label";
import { ErrorAlert } from "@/components/ErrorAlert";
import { useAutomationRuns } from "@/hooks/useAutomations";
import { RUN_STATUS_LABELS, SKIP_REASONS } from "@/lib/automationText";
import type { RunStatus, RunSummary } from "@/lib/automationTypes";
import { teamPath } from "@/lib/teamSelection";
import { formatDateTime, formatRelative } from "@/lib/utils";
import { RunStatusChip } from "./RunStatusChip";

const FILTERS: (RunStatus | "")[] = ["", "dead", "retrying", "succeeded", "skipped", "queued", "running"];

/**
 * The rule a run ran, named as the version it is pinned to ("Webhook to 404"), and the rule's name now when it has
 * been renamed since (`renamed`), so a run of v1 is not listed under a name v1 never had.
 */
export function runRuleName(run: Pick<RunSummary, "rule_name" | "version_name">): { name: string; renamed: string | null } {
  const name = run.version_name || run.rule_name;
  return { name, renamed: run.version_name && run.rule_name && run.rule_name !== run.version_name ? run.rule_name : null };
}

/**
 * What a succeeded run did, in one line from its steps' outcomes: "3 tasks created · posted to #sales · webhook
 * sent to Zapier"; null when there is nothing to say (not succeeded, or an API without outcomes).
 */
export function runSummaryText(run: Pick<RunSummary, "status" | "outcomes">): string | null {
  if (run.status !== "succeeded" || !run.outcomes?.length) return null;
  const parts = run.outcomes.flatMap((o): string[] => {
    switch (o.action_type) {
      case "create_tasks": {
        const n = typeof o.created === "number" ? o.created : 0;
        return [n === 0 ? "no new task" : `${n} task${n === 1 ? "" : "s"} created`];
      }
      case "add_note":
        return [o.created === false ? "note already there" : "note added"];
      case "set_stage":
        return [o.to ? `moved to ${o.to}` : "stage left as it was"];
      case "post_slack":
      case "post_discord":
        return [`posted to ${o.channel ?? (o.action_type === "post_slack" ? "Slack" : "Discord")}`];
      case "send_webhook":
        return [o.endpoint ? `webhook sent to ${o.endpoint}` : "webhook sent"];
      default:
        return [];
    }
  });
  return parts.length ? parts.join(" · ") : null;
}

/** Why a run ended as it did, in one line: the dead reason, the skip reason, the next attempt. */
export function runReason(run: RunSummary): string | null {
  if (run.status === "dead") return run.error_message || run.error_code || "Failed";
  // a run ended because its rule was turned off carries the engine's sentence (what happened, and that turning
  // the rule on again does not resume it); the other skips have only their reason
  if (run.status === "skipped") {
    return run.error_message || (run.skip_reason ? (SKIP_REASONS[run.skip_reason] ?? run.skip_reason) : null);
  }
  if (run.status === "retrying") {
    const why = run.error_message || run.error_code;
    const when = run.next_attempt_at ? `next attempt ${formatRelative(run.next_attempt_at)}` : null;
    return [why, when].filter(Boolean).join(" · ") || null;
  }
  return null;
}

/**
 * The run log: one rule's runs (`ruleId`) or the team's, newest first, with a status filter and "Load more".
 * `status`/`onStatusChange` let a page keep the filter in its URL.
 */
export function RunList({
  teamId,
  ruleId,
  status,
  onStatusChange,
  showRule,
}: {
  teamId: string;
  ruleId: string | null;
  status: RunStatus | "";
  onStatusChange: (status: RunStatus | "") => void;
  showRule: boolean;
}) {
  const runs = useAutomationRuns(teamId, ruleId, status);
  const items = runs.data?.pages.flatMap((p) => p.runs) ?? [];
  const filterId = `run-filter-${ruleId ?? "all"}`;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-center gap-2">
        <Label htmlFor={filterId} className="text-sm text-muted-foreground">
          Status
        </Label>
        <NativeSelect
          id={filterId}
          className="w-40"
          value={status}
          onChange={(e) => onStatusChange(e.target.value as RunStatus | "")}
        >
          {FILTERS.map((s) => (
            <option key={s} value={s}>
              {s ? RUN_STATUS_LABELS[s] : "All runs"}
            </option>
          ))}
        </NativeSelect>
      </div>
      {runs.isPending ? (
        <Skeleton className="h-14 w-full" />
      ) : runs.isError ? (
        <ErrorAlert title="Couldn't load the runs" error={runs.error} onRetry={() => runs.refetch()} />
      ) : items.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          {status ? "No runs with this status." : "No runs yet. Runs appear here when the automation's event happens."}
        </p>
      ) : (
        <ul className="divide-y divide-border rounded-lg border border-border" aria-label="Runs">
          {items.map((run) => (
            <RunRow key={run.id} teamId={teamId} run={run} showRule={showRule} />
          ))}
        </ul>
      )}
      {runs.hasNextPage && (
        <Button variant="outline" size="sm" className="self-start" disabled={runs.isFetchingNextPage} onClick={() => runs.fetchNextPage()}>
          Load more
        </Button>
      )}
    </div>
  );
}

function RunRow({ teamId, run, showRule }: { teamId: string; run: RunSummary; showRule: boolean }) {
  const reason = runReason(run) ?? runSummaryText(run);
  const ruleName = runRuleName(run);
  const subject = [run.meeting?.title, run.lead?.name].filter(Boolean).join(" · ");
  return (
    <li className="relative flex flex-col gap-1 px-4 py-3 hover:bg-muted/50 sm:flex-row sm:items-center sm:gap-4" data-testid="run-row">
      <div className="w-28 shrink-0">
        <RunStatusChip status={run.status} />
      </div>
      <div className="min-w-0 flex-1">
        <Link
          to={teamPath(teamId, `automations/runs/${encodeURIComponent(run.id)}`)}
          className="text-sm font-medium outline-none after:absolute after:inset-0 after:rounded-md after:content-[''] focus-visible:underline focus-visible:after:ring-2 focus-visible:after:ring-ring focus-visible:after:ring-offset-2 focus-visible:after:ring-offset-background"
        >
          {showRule ? ruleName.name : subject || "Run"}
          {run.version !== null && <span className="ml-1 text-xs font-normal text-muted-foreground">v{run.version}</span>}
        </Link>
        {showRule && ruleName.renamed && (
          <span className="ml-1 text-xs text-muted-foreground">· the automation is now called “{ruleName.renamed}”</span>
        )}
        {showRule && subject && <div className="truncate text-xs text-muted-foreground">{subject}</div>}
        {reason && (
          <div className={run.status === "dead" ? "text-xs text-red-700" : "text-xs text-muted-foreground"}>{reason}</div>
        )}
      </div>
      <time className="shrink-0 text-xs text-muted-foreground" dateTime={run.created_at ?? undefined} title={formatDateTime(run.created_at)}>
        {formatRelative(run.created_at)}
      </time>
    </li>
  );
}
