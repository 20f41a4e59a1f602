import { Link, useSearchParams } from "react-router-dom";
import { ArrowLeft } from "lucide-react";
import { RunList } from "@/components/automations/RunList";
import type { RunStatus } from "@/lib/automationTypes";
import { teamPath } from "@/lib/teamSelection";
import { useCurrentTeam } from "./TeamLayout";

/** /teams/:teamId/automations/runs: every rule's runs, newest first, filtered by status (kept in the URL). */
export function AutomationRunsPage() {
  const team = useCurrentTeam();
  const [search, setSearch] = useSearchParams();
  const status = (search.get("status") ?? "") as RunStatus | "";
  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-8 md:px-8">
      <Link to={teamPath(team.id, "automations")} className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden="true" />
        Automations
      </Link>
      <h1 className="mb-1 mt-3 text-2xl font-semibold tracking-tight">Run log</h1>
      <p className="mb-6 text-sm text-muted-foreground">What every automation of {team.name} did, newest first.</p>
      <RunList
        teamId={team.id}
        ruleId={null}
        showRule
        status={status}
        onStatusChange={(s) => setSearch(s ? { status: s } : {}, { replace: true })}
      />
    </div>
  );
}
