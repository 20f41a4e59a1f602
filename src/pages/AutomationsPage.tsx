import { useEffect, useRef } from "react";
import { Link, useLocation } from "react-router-dom";
import { AlertTriangle, CheckCircle2, History, Plus, Sparkles, XCircle } from "lucide-react";
import { toast } from "@/lib/toast";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { ErrorAlert } from "@/components/ErrorAlert";
import { EndpointsSection } from "@/components/automations/EndpointsSection";
import { RunStatusChip } from "@/components/automations/RunStatusChip";
import { useAutomationCatalog, useAutomationRules, useRuleMutations } from "@/hooks/useAutomations";
import { STARTERS, triggerLabel } from "@/lib/automationText";
import type { Catalog, RuleProblem, RuleSummary } from "@/lib/automationTypes";
import { errorMessage } from "@/lib/errorMessages";
import { teamPath } from "@/lib/teamSelection";
import { formatDateTime, formatRelative } from "@/lib/utils";
import { useCurrentTeam } from "./TeamLayout";

const switchId = (ruleId: string) => `rule-switch-${ruleId}`;

/** Problems the editor fixes (a field of the rule); the others (a chat not connected) are fixed under Integrations. */
/** A chat problem is fixed under Integrations (connect it, or reconnect a channel that is gone); the rest in the editor. */
const integrationFixes = (p: RuleProblem) => p.field === "destination" || p.field === "reconnect";
const editorFixes = (p: RuleProblem) => !integrationFixes(p);
const PROVIDER_NAMES = { slack: "Slack", discord: "Discord" } as const;

/** Where a problem is fixed: the editor at that action's field, or the Integrations page. */
export function problemLink(teamId: string, ruleId: string, p: RuleProblem): { to: string; label: string } {
  if (p.field === "reconnect" && p.provider) {
    return { to: teamPath(teamId, "settings/integrations"), label: `Reconnect ${PROVIDER_NAMES[p.provider]}` };
  }
  if (integrationFixes(p)) return { to: teamPath(teamId, "settings/integrations"), label: "Open Integrations" };
  const fix = `actions[${p.action_index}].${p.field}`;
  return { to: teamPath(teamId, `automations/${encodeURIComponent(ruleId)}?fix=${encodeURIComponent(fix)}`), label: `Fix step ${p.action_index + 1}` };
}

/** The rule's problems, each with the link that fixes it. */
function Problems({ teamId, rule, className }: { teamId: string; rule: RuleSummary; className?: string }) {
  if (rule.problems.length === 0) return null;
  return (
    <ul className={className} aria-label={`What to fix in ${rule.name}`}>
      {rule.problems.map((p) => {
        const link = problemLink(teamId, rule.id, p);
        return (
          <li key={`${p.action_index}:${p.field}`} className="text-xs text-red-700">
            {p.message}{" "}
            <Link to={link.to} className="font-medium underline underline-offset-2">
              {link.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

export const isAdminRole = (role: string) => role === "owner" || role === "admin";

/**
 * /teams/:teamId/automations: the team's rules (enabled switch, trigger in words, last run, 7-day counts, a red
 * "N failed" badge, a paused rule's reason with "Turn on again"), the starter templates while there are no rules,
 * and the webhook endpoints. Members read; owners and admins change.
 */
export function AutomationsPage() {
  const team = useCurrentTeam();
  const admin = isAdminRole(team.role);
  const rules = useAutomationRules(team.id);
  const catalog = useAutomationCatalog();
  const m = useRuleMutations(team.id);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const location = useLocation();
  // after a delete the editor sends people here: focus the heading, not <body>
  useEffect(() => {
    if ((location.state as { focus?: string } | null)?.focus === "heading") headingRef.current?.focus();
  }, [location.state]);

  const setEnabled = (rule: RuleSummary, enabled: boolean, { fromBanner = false } = {}) => {
    m.update.mutate(
      { ruleId: rule.id, patch: { enabled } },
      {
        onSuccess: () => {
          toast.success(`${rule.name} is ${enabled ? "on" : "off"}`);
          // "Turn on again" leaves with its banner: focus goes to the rule's switch, not <body>
          if (fromBanner) document.getElementById(switchId(rule.id))?.focus();
        },
        // switching on a rule whose setting broke is refused (invalid_rule at that field): say which, in words
        onError: (e) => toast.error((enabled && rule.problems.find(editorFixes)?.message) || errorMessage(e)),
      },
    );
  };

  const paused = rules.data?.filter((r) => !r.enabled && r.paused_reason) ?? [];

  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-8 md:px-8">
      <div className="mb-6 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 ref={headingRef} tabIndex={-1} className="text-2xl font-semibold tracking-tight outline-none">
            Automations
          </h1>
          <p className="mt-1 text-sm text-muted-foreground">
            What the CRM does by itself when a meeting is linked to a lead, a lead is created or its stage changes.
            {!admin && " Only owners and admins can change them."}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button asChild variant="outline">
            <Link to={teamPath(team.id, "automations/runs")}>
              <History aria-hidden="true" />
              Run log
            </Link>
          </Button>
          {admin && (
            <Button asChild>
              <Link to={teamPath(team.id, "automations/new")}>
                <Plus aria-hidden="true" />
                New automation
              </Link>
            </Button>
          )}
        </div>
      </div>

      {paused.map((rule) => (
        <Alert key={rule.id} variant="warning" className="mb-3">
          <AlertTriangle />
          <AlertTitle>{rule.name} was paused</AlertTitle>
          <AlertDescription className="flex flex-col items-start gap-2">
            <p>
              {rule.paused_reason}
              {rule.paused_at && ` (${formatRelative(rule.paused_at)})`}
            </p>
            <Problems teamId={team.id} rule={rule} className="space-y-1" />
            {/* a setting the editor must fix first would make "Turn on again" fail: the links above go there */}
            {/* a chat still to (re)connect: turning it on now only fails again at that step; say so, not a silent button */}
            {admin && !rule.problems.some(editorFixes) && rule.problems.some(integrationFixes) && (
              <p className="text-sm font-medium" data-testid="turn-on-warning">
                Fix the chat first: turned on now, its next runs would fail again at that step.
              </p>
            )}
            {admin && rule.problems.length === 0 && (
              <Button size="sm" variant="outline" disabled={m.update.isPending} onClick={() => setEnabled(rule, true, { fromBanner: true })}>
                Turn on again
              </Button>
            )}
          </AlertDescription>
        </Alert>
      ))}

      <section aria-labelledby="rules-heading">
        <h2 id="rules-heading" tabIndex={-1} className="sr-only outline-none">
          Rules
        </h2>
        {rules.isPending ? (
          <div className="space-y-2">
            <Skeleton className="h-16 w-full" />
            <Skeleton className="h-16 w-full" />
          </div>
        ) : rules.isError ? (
          <ErrorAlert title="Couldn't load the automations" error={rules.error} onRetry={() => rules.refetch()} />
        ) : rules.data.length === 0 ? (
          <Starters teamId={team.id} admin={admin} />
        ) : (
          <ul className="divide-y divide-border rounded-lg border border-border" aria-label="Automations">
            {rules.data.map((rule) => (
              <RuleRow
                key={rule.id}
                teamId={team.id}
                rule={rule}
                catalog={catalog.data}
                admin={admin}
                busy={m.update.isPending}
                onEnabled={(enabled) => setEnabled(rule, enabled)}
              />
            ))}
          </ul>
        )}
      </section>

      <EndpointsSection teamId={team.id} admin={admin} />
    </div>
  );
}

function RuleRow({
  teamId,
  rule,
  catalog,
  admin,
  busy,
  onEnabled,
}: {
  teamId: string;
  rule: RuleSummary;
  catalog: Catalog | undefined;
  admin: boolean;
  busy: boolean;
  onEnabled: (enabled: boolean) => void;
}) {
  const s = rule.stats_7d;
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3" data-testid="rule-row">
      <Switch
        id={switchId(rule.id)}
        checked={rule.enabled}
        disabled={!admin || busy}
        aria-label={`${rule.name}: ${rule.enabled ? "on" : "off"}`}
        title={admin ? undefined : "Only owners and admins can turn automations on or off"}
        onCheckedChange={onEnabled}
      />
      <div className="min-w-0 flex-1 basis-48">
        <div className="flex flex-wrap items-center gap-2">
          <Link to={teamPath(teamId, `automations/${encodeURIComponent(rule.id)}`)} className="truncate text-sm font-medium hover:underline">
            {rule.name}
          </Link>
          {rule.dead_count > 0 && (
            <Link to={teamPath(teamId, `automations/${encodeURIComponent(rule.id)}?status=dead`)}>
              <Badge variant="destructive">{rule.dead_count} failed</Badge>
            </Link>
          )}
          {rule.retrying.count > 0 && (
            <Link to={teamPath(teamId, `automations/${encodeURIComponent(rule.id)}?status=retrying`)}>
              <Badge variant="warning">{rule.retrying.count} retrying</Badge>
            </Link>
          )}
          {!rule.enabled && !rule.paused_reason && <Badge variant="secondary">Off</Badge>}
          {rule.paused_reason && <Badge variant="warning">Paused</Badge>}
        </div>
        {rule.retrying.count > 0 && rule.retrying.last_error && (
          <div className="truncate text-xs text-amber-800" title={rule.retrying.last_error}>
            Last error: {rule.retrying.last_error}
          </div>
        )}
        <div className="truncate text-xs text-muted-foreground">When: {triggerLabel(rule.trigger, catalog)}</div>
        {/* a paused rule's problems are in its banner above */}
        {!rule.paused_reason && <Problems teamId={teamId} rule={rule} className="mt-1 space-y-0.5" />}
      </div>
      <div className="flex items-center gap-3 text-xs text-muted-foreground">
        <span className="inline-flex items-center gap-1" aria-label={`${s.succeeded} succeeded in the last 7 days`} title="Succeeded, last 7 days">
          <CheckCircle2 className="size-3.5 text-emerald-700" aria-hidden="true" />
          {s.succeeded}
        </span>
        <span className="inline-flex items-center gap-1" aria-label={`${s.failed} failed in the last 7 days`} title="Failed, last 7 days">
          <XCircle className="size-3.5 text-red-700" aria-hidden="true" />
          {s.failed}
        </span>
        <span className="w-36 text-right">
          {rule.last_run ? (
            <Link
              to={teamPath(teamId, `automations/runs/${encodeURIComponent(rule.last_run.id)}`)}
              className="inline-flex items-center gap-1.5 hover:underline"
              title={formatDateTime(rule.last_run.created_at)}
            >
              <span className="sr-only">Last run:</span>
              <RunStatusChip status={rule.last_run.status} />
              {formatRelative(rule.last_run.created_at)}
            </Link>
          ) : (
            "Never ran"
          )}
        </span>
      </div>
    </li>
  );
}

function Starters({ teamId, admin }: { teamId: string; admin: boolean }) {
  return (
    <div className="rounded-lg border border-dashed border-border p-5">
      <div className="flex items-center gap-2">
        <Sparkles className="size-4 text-muted-foreground" aria-hidden="true" />
        <h3 className="text-sm font-semibold">No automations yet</h3>
      </div>
      <p className="mt-1 text-sm text-muted-foreground">
        {admin
          ? "Start from a template: it opens in the editor, and is saved turned off until you turn it on."
          : "Owners and admins can add automations, for example:"}
      </p>
      <ul className="mt-4 grid gap-3 sm:grid-cols-2" aria-label="Starter templates">
        {(Object.keys(STARTERS) as (keyof typeof STARTERS)[]).map((key) => (
          <li key={key} className="flex flex-col gap-2 rounded-lg border border-border p-4">
            <div className="text-sm font-medium">{STARTERS[key].title}</div>
            <p className="flex-1 text-sm text-muted-foreground">{STARTERS[key].description}</p>
            {admin && (
              <Button asChild size="sm" variant="outline" className="self-start">
                <Link to={teamPath(teamId, `automations/new?template=${key}`)} aria-label={`Use this template: ${STARTERS[key].title}`}>
                  Use this template
                </Link>
              </Button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
