import { Link, useParams, useSearchParams } from "react-router-dom";
import { ArrowLeft } from "lucide-react";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorAlert } from "@/components/ErrorAlert";
import { VersionView } from "@/components/automations/VersionView";
import { useAutomationCatalog, useAutomationRun, useRuleVersion } from "@/hooks/useAutomations";
import { isNotFound } from "@/lib/errorMessages";
import { teamPath } from "@/lib/teamSelection";
import { formatDateTime } from "@/lib/utils";
import { NotFoundPage } from "./NotFoundPage";
import { useCurrentTeam } from "./TeamLayout";

/**
 * /teams/:teamId/automations/:ruleId/versions/:version[?run=<runId>]: one published version of a rule, read-only
 * (versions are immutable: its trigger, conditions and actions as published, who published it, whether it is
 * still the current one). Opened from a run (`run`), it says "This is the version the run of <date> used" once the
 * run is loaded and really ran this version (a hand-edited address claims nothing).
 */
export function AutomationVersionPage() {
  const team = useCurrentTeam();
  const { ruleId = "", version: versionParam = "" } = useParams();
  const [search] = useSearchParams();
  const number = /^\d{1,9}$/.test(versionParam) ? Number(versionParam) : NaN;
  const version = useRuleVersion(team.id, ruleId, number);
  const runId = search.get("run") ?? "";
  const catalog = useAutomationCatalog();
  const editor = teamPath(team.id, `automations/${encodeURIComponent(ruleId)}`);

  if (!Number.isInteger(number) || number < 1 || (version.isError && isNotFound(version.error))) {
    return (
      <NotFoundPage title="Version not found" back={editor} backLabel="Go to the automation">
        <p>This automation has no such version, or the automation was deleted.</p>
      </NotFoundPage>
    );
  }
  if (version.isPending) {
    return (
      <div className="mx-auto w-full max-w-4xl space-y-3 px-4 py-8 md:px-8">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-32 w-full" />
      </div>
    );
  }
  if (version.isError) {
    return (
      <div className="mx-auto max-w-4xl px-4 py-8">
        <ErrorAlert title="Couldn't load the version" error={version.error} onRetry={() => version.refetch()} />
      </div>
    );
  }
  const v = version.data;
  const who = v.created_by ? v.created_by.name || v.created_by.email : null;
  const current = v.version === v.current_version;
  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-8 md:px-8">
      <Link to={editor} className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden="true" />
        {current ? v.name : "The automation now"}
      </Link>
      <h1 className="mt-3 break-words text-2xl font-semibold tracking-tight">
        {v.name}{" "}
        <span className="ml-1 text-base font-normal text-muted-foreground">version {v.version}</span>
      </h1>
      <p className="mt-1 text-sm text-muted-foreground">
        Published {formatDateTime(v.created_at)}
        {who ? ` by ${who}` : ""}.{" "}
        {current ? (
          "This is the current version."
        ) : (
          <>
            Not the current version:{" "}
            <Link className="underline" to={editor}>
              version {v.current_version} is
            </Link>
            .
          </>
        )}{" "}
        A published version never changes; editing the automation publishes a new one.
      </p>
      {runId && <UsedByRun teamId={team.id} runId={runId} versionId={v.id} />}
      <section aria-label={`Version ${v.version}`} className="mt-6 rounded-lg border border-border p-4">
        <VersionView version={v} catalog={catalog.data} />
      </section>
    </div>
  );
}

/** "This is the version the run of <date> used", when run `runId` ran this very version. */
function UsedByRun({ teamId, runId, versionId }: { teamId: string; runId: string; versionId: string }) {
  const run = useAutomationRun(teamId, runId);
  if (!run.data || run.data.version_rule?.id !== versionId) return null;
  return (
    <p className="mt-3 rounded-md border border-border bg-muted/50 px-3 py-2 text-sm" data-testid="used-by-run">
      This is the version{" "}
      <Link className="underline" to={teamPath(teamId, `automations/runs/${encodeURIComponent(runId)}`)}>
        the run of {formatDateTime(run.data.created_at)}
      </Link>{" "}
      used.
    </p>
  );
}
