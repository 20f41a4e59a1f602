import { useEffect, useMemo, useRef, useState, type FormEvent, type MouseEvent } from "react";
import { Link, useLocation, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, Loader2, Plus, Save, Trash2 } from "lucide-react";
import { toast } from "@/lib/toast";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { ErrorAlert } from "@/components/ErrorAlert";
import { ActionCard } from "@/components/automations/ActionCard";
import { ConditionRow } from "@/components/automations/ConditionRow";
import { RunList } from "@/components/automations/RunList";
import { TestPanel } from "@/components/automations/TestPanel";
import { useAutomationCatalog, useAutomationEndpoints, useAutomationRule, useRuleMutations } from "@/hooks/useAutomations";
import { RememberOpener, useReturnFocus } from "@/hooks/useReturnFocus";
import { api } from "@/lib/api";
import { fromBody, move, newAction, newCondition, sameRule, toBody, type Draft } from "@/lib/automationDraft";
import {
  STARTERS,
  TRIGGER_LABELS,
  actionLabel,
  actionsFor,
  conditionFieldsFor,
  fieldId,
  isStarter,
  pathLabel,
  ruleErrorAt,
  triggerLabel,
} from "@/lib/automationText";
import { TRIGGER_TYPES, type ActionType, type Rule, type RuleVersion, type RunStatus, type TriggerType } from "@/lib/automationTypes";
import { errorMessage, isNotFound } from "@/lib/errorMessages";
import { teamPath } from "@/lib/teamSelection";
import { formatDateTime, formatRelative } from "@/lib/utils";
import { NotFoundPage } from "./NotFoundPage";
import { isAdminRole } from "./AutomationsPage";
import { useCurrentTeam } from "./TeamLayout";

const BLANK: Draft = fromBody({
  name: "",
  trigger: "meeting.linked_to_lead",
  conditions: { match: "all", rules: [] },
  // no action picked for the person: "Then" starts empty with a call to add one (Save refuses it empty)
  actions: [],
});

/**
 * /teams/:teamId/automations/new (optionally `?template=tasks|slack`) and /automations/:ruleId: When / If / Then,
 * Save (publishes a new version), the enable switch, the test panel, the rule's versions and runs. Members see it
 * read-only. After a save, focus goes to the "Version N, published" line; an API validation error to its field.
 */
export function AutomationEditorPage() {
  const team = useCurrentTeam();
  const { ruleId } = useParams();
  const rule = useAutomationRule(team.id, ruleId);
  const [search] = useSearchParams();
  const template = search.get("template");
  // keyed by the template: choosing another one starts a fresh draft
  if (!ruleId) return <Editor key={`new:${template ?? ""}`} teamId={team.id} admin={isAdminRole(team.role)} rule={null} versions={[]} />;
  if (rule.isPending) {
    return (
      <div className="mx-auto w-full max-w-4xl space-y-3 px-4 py-8 md:px-8">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (rule.isError) {
    if (isNotFound(rule.error)) {
      return (
        <NotFoundPage title="Automation not found" back={teamPath(team.id, "automations")} backLabel="Go to Automations">
          <p>This automation was deleted, or it belongs to another team.</p>
        </NotFoundPage>
      );
    }
    return (
      <div className="mx-auto max-w-4xl px-4 py-8">
        <ErrorAlert title="Couldn't load the automation" error={rule.error} onRetry={() => rule.refetch()} />
      </div>
    );
  }
  return <Editor key={ruleId} teamId={team.id} admin={isAdminRole(team.role)} rule={rule.data.rule} versions={rule.data.versions} />;
}

const SKIP_TARGETS = [
  { id: "then-heading", label: "Skip to the actions (Then)" },
  { id: "test-heading", label: "Skip to Test" },
  { id: "runs-heading", label: "Skip to Runs" },
];

/**
 * Skip links for keyboard and screen-reader users of a long form: hidden until focused, each moves focus to its
 * section's heading (made focusable for it) rather than only scrolling, so the next Tab continues from there.
 */
function SkipLinks({ targets }: { targets: { id: string; label: string }[] }) {
  const go = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
    const target = document.getElementById(id);
    if (!target) return;
    event.preventDefault();
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
    target.scrollIntoView?.({ block: "start" });
  };
  return (
    <nav aria-label="Skip links" className="flex flex-wrap gap-2">
      {targets.map((t) => (
        <a
          key={t.id}
          href={`#${t.id}`}
          onClick={(e) => go(e, t.id)}
          className="sr-only rounded-md bg-background px-3 py-1.5 text-sm font-medium underline outline-none ring-2 ring-ring focus:not-sr-only"
        >
          {t.label}
        </a>
      ))}
    </nav>
  );
}

function Editor({ teamId, admin, rule, versions }: { teamId: string; admin: boolean; rule: Rule | null; versions: RuleVersion[] }) {
  const navigate = useNavigate();
  const location = useLocation();
  const [search, setSearch] = useSearchParams();
  const catalog = useAutomationCatalog();
  const members = useQuery({ queryKey: ["members", teamId], queryFn: () => api.listMembers(teamId), staleTime: 5 * 60_000 });
  const endpoints = useAutomationEndpoints(teamId);
  const m = useRuleMutations(teamId);

  const starter = search.get("template");
  const published = useMemo(() => (rule ? fromBody(rule) : null), [rule]);
  const [draft, setDraft] = useState<Draft>(() =>
    published ?? (isStarter(starter) ? fromBody(STARTERS[starter].body) : BLANK),
  );
  const [ruleError, setRuleError] = useState<{ path: string; message: string } | null>(null);
  // the published version's broken settings (endpoint deleted, assignee gone), each said at its field
  const problemAt = new Map((rule?.problems ?? []).map((p) => [`actions[${p.action_index}].${p.field}`, p.message]));
  const chatProblems = (rule?.problems ?? []).filter((p) => p.field === "destination" || p.field === "reconnect");
  const editorProblems = (rule?.problems ?? []).filter((p) => !chatProblems.includes(p));
  const [saveError, setSaveError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const addActionRef = useRef<HTMLSelectElement>(null);
  const addConditionRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useReturnFocus();
  const [justSaved, setJustSaved] = useState<boolean>(() => (location.state as { saved?: boolean } | null)?.saved === true);

  // after a save (here, or the create that navigated here), focus the version line so it is read out
  useEffect(() => {
    if (justSaved) statusRef.current?.focus();
  }, [justSaved]);

  // `?fix=actions[1].endpoint_id` (the rule list's link for a broken setting): that field gets focus (and scrolls
  // into view) once the form is drawn; its problem is said at it
  const fix = search.get("fix");
  const fixPath = fix && problemAt.has(fix) ? fix : null;
  useEffect(() => {
    if (!fixPath) return;
    const frame = requestAnimationFrame(() => document.getElementById(fieldId(fixPath))?.focus());
    return () => cancelAnimationFrame(frame);
  }, [fixPath]);

  const readOnly = !admin;
  // when the current version was published: "just now" right after a save here (Save is only possible with
  // changes, so a save always publishes), else its own row's time (not the rule's updated_at, which the switch
  // moves too)
  const publishedAt = rule && !justSaved
    ? (versions.find((v) => v.version === rule.version)?.created_at ?? rule.updated_at)
    : null;
  const dirty = published ? !sameRule(draft, published) : true;
  const body = toBody(draft, rule?.enabled ?? false);
  const variables = catalog.data?.variables[draft.trigger] ?? [];
  const fields = conditionFieldsFor(draft.trigger, catalog.data);
  const allowedActions = actionsFor(draft.trigger);
  const [addType, setAddType] = useState<ActionType | "">("");

  const errorFor = (path: string) => (ruleError && ruleError.path === path ? ruleError.message : (problemAt.get(path) ?? null));

  const showError = (err: unknown) => {
    const at = isLocalError(err) ? err.ruleErrorAt : ruleErrorAt(err);
    setRuleError(at);
    setSaveError(at ? null : err);
    requestAnimationFrame(() => {
      const target = at?.path ? document.getElementById(fieldId(at.path)) : null;
      (target ?? errorRef.current)?.focus();
    });
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (readOnly) return;
    setRuleError(null);
    setSaveError(null);
    setJustSaved(false);
    // nothing changed: nothing to publish (the button is disabled too; Enter in a field lands here)
    if (rule && !dirty) return;
    if (draft.actions.length === 0) {
      showError({ ruleErrorAt: { path: "actions", message: "Add an action: an automation needs something to do when it runs." } });
      return;
    }
    // a webhook action needs its endpoint: say so at the field before the API answers "Invalid UUID"
    const missing = draft.actions.findIndex((a) => a.type === "send_webhook" && !a.endpoint_id);
    if (missing >= 0) {
      showError({ ruleErrorAt: { path: `actions[${missing}].endpoint_id`, message: "Choose an endpoint for this webhook." } });
      return;
    }
    if (!rule) {
      // a new rule is saved turned off: the person enables it when it is ready (after a test)
      m.create.mutate(toBody(draft, false), {
        // no toast: the page it lands on says "Version 1, published just now", and focus is there
        onSuccess: (created) => {
          navigate(teamPath(teamId, `automations/${encodeURIComponent(created.id)}`), { replace: true, state: { saved: true } });
        },
        onError: showError,
      });
      return;
    }
    const { enabled: _enabled, ...patch } = body;
    m.update.mutate(
      { ruleId: rule.id, patch },
      {
        onSuccess: () => setJustSaved(true),
        onError: showError,
      },
    );
  };

  const setEnabled = (enabled: boolean, { fromBanner = false } = {}) => {
    if (!rule) return;
    m.update.mutate(
      { ruleId: rule.id, patch: { enabled } },
      {
        onSuccess: () => {
          toast.success(`${rule.name} is ${enabled ? "on" : "off"}`);
          // "Turn on again" leaves with the paused banner: focus goes to the switch, not <body>
          if (fromBanner) document.getElementById("rule-enabled")?.focus();
        },
        onError: (e) => toast.error(errorMessage(e)),
      },
    );
  };

  const remove = () => {
    if (!rule) return;
    m.remove.mutate(rule.id, {
      onSuccess: () => {
        toast.success(`${rule.name} deleted`);
        navigate(teamPath(teamId, "automations"), { state: { focus: "heading" } });
      },
      onError: (e) => toast.error(errorMessage(e)),
    });
  };

  const setTrigger = (trigger: TriggerType) => setDraft((d) => ({ ...d, trigger }));
  const addCondition = () => {
    const f = fields[0];
    if (!f) return;
    setDraft((d) => ({ ...d, conditions: [...d.conditions, newCondition(f.field, f.ops[0] ?? "")] }));
    requestAnimationFrame(() => document.getElementById(fieldId(`conditions.rules[${draft.conditions.length}].field`))?.focus());
  };
  const addAction = () => {
    const type = addType || allowedActions[0];
    if (!type) return;
    setDraft((d) => ({ ...d, actions: [...d.actions, newAction(type)] }));
    setAddType("");
    requestAnimationFrame(() => document.getElementById(fieldId(`actions[${draft.actions.length}].type`))?.focus());
  };

  const pending = m.create.isPending || (m.update.isPending && m.update.variables?.patch.enabled === undefined);
  const runStatus = (search.get("status") ?? "") as RunStatus | "";

  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-8 md:px-8">
      <SkipLinks targets={rule ? SKIP_TARGETS : SKIP_TARGETS.filter((t) => t.id !== "runs-heading")} />
      <Link to={teamPath(teamId, "automations")} className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden="true" />
        Automations
      </Link>
      <div className="mt-3 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold tracking-tight">{rule ? rule.name : "New automation"}</h1>
          {rule ? (
            <p ref={statusRef} tabIndex={-1} role="status" className="mt-1 text-sm text-muted-foreground outline-none">
              Version {rule.version}, published{" "}
              {publishedAt ? (
                <time dateTime={publishedAt} title={formatDateTime(publishedAt)}>
                  {formatRelative(publishedAt)}
                </time>
              ) : (
                "just now"
              )}
              {dirty && !readOnly && (
                <Badge variant="warning" className="ml-2">
                  Unsaved changes: not live
                </Badge>
              )}
            </p>
          ) : (
            <>
              <p className="mt-1 text-sm text-muted-foreground">Saved turned off: turn it on once it's ready (test it first).</p>
              {!isStarter(starter) && !readOnly && (
                <p className="mt-1 text-sm text-muted-foreground">
                  Or start from a template:{" "}
                  {(Object.keys(STARTERS) as (keyof typeof STARTERS)[]).map((k, i) => (
                    <span key={k}>
                      {i > 0 && " · "}
                      <Link className="underline" to={`?template=${k}`}>
                        {STARTERS[k].title}
                      </Link>
                    </span>
                  ))}
                </p>
              )}
            </>
          )}
        </div>
        {rule && (
          <div className="flex items-center gap-2">
            <Switch
              id="rule-enabled"
              checked={rule.enabled}
              disabled={readOnly || m.update.isPending}
              aria-label={`${rule.name}: ${rule.enabled ? "on" : "off"}`}
              onCheckedChange={setEnabled}
            />
            <Label htmlFor="rule-enabled" className="text-sm">
              {rule.enabled ? "On" : "Off"}
            </Label>
          </div>
        )}
      </div>

      {rule?.paused_reason && !rule.enabled && (
        <Alert variant="warning" className="mt-4">
          <AlertTitle>Paused</AlertTitle>
          <AlertDescription className="flex flex-col items-start gap-2">
            <p>{rule.paused_reason}</p>
            {editorProblems.map((p) => (
              <p key={`${p.action_index}:${p.field}`} className="text-red-700">
                {p.message}
              </p>
            ))}
            {/* a chat to (re)connect: turned on now it would fail again at that step; the link goes where it is fixed */}
            {chatProblems.map((p) => (
              <p key={`${p.action_index}:${p.field}`} className="text-red-700">
                {p.message}{" "}
                <Link className="font-medium underline underline-offset-2" to={teamPath(teamId, "settings/integrations")}>
                  {p.field === "reconnect" && p.provider ? `Reconnect ${p.provider === "slack" ? "Slack" : "Discord"}` : "Open Integrations"}
                </Link>
              </p>
            ))}
            {/* turning it on would be refused until the step is fixed (the message is also at its field below) */}
            {admin && editorProblems.length === 0 && chatProblems.length > 0 && (
              <p className="text-sm font-medium" data-testid="turn-on-warning">
                Fix the chat first: turned on now, its next runs would fail again at that step.
              </p>
            )}
            {admin && editorProblems.length === 0 && chatProblems.length === 0 && (
              <Button size="sm" variant="outline" onClick={() => setEnabled(true, { fromBanner: true })}>
                Turn on again
              </Button>
            )}
          </AlertDescription>
        </Alert>
      )}
      {readOnly && (
        <p className="mt-4 rounded-md border border-border bg-muted/50 px-3 py-2 text-sm text-muted-foreground">
          You can look at this automation; only owners and admins can change it.
        </p>
      )}

      <div ref={errorRef} tabIndex={-1} className="mt-4 outline-none">
        {ruleError && (
          <Alert variant="destructive">
            <AlertTitle>The automation wasn't saved</AlertTitle>
            <AlertDescription>
              {ruleError.path ? `${pathLabel(ruleError.path)}: ` : ""}
              {ruleError.message}
            </AlertDescription>
          </Alert>
        )}
        {saveError !== null && <ErrorAlert title="The automation wasn't saved" error={saveError} />}
      </div>

      <form onSubmit={save} noValidate className="mt-4 flex flex-col gap-6" aria-label="Automation">
        <div>
          <Label htmlFor={fieldId("name")}>Name</Label>
          <Input
            id={fieldId("name")}
            className="mt-1"
            maxLength={120}
            value={draft.name}
            disabled={readOnly}
            aria-invalid={errorFor("name") ? true : undefined}
            aria-describedby={errorFor("name") ? "rule-name-error" : undefined}
            onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))}
          />
          {errorFor("name") && (
            <p id="rule-name-error" className="mt-1 text-sm text-red-700">
              {errorFor("name")}
            </p>
          )}
        </div>

        <section aria-labelledby="when-heading" className="flex flex-col gap-2">
          <h2 id="when-heading" className="text-base font-semibold">
            When
          </h2>
          <NativeSelect
            id={fieldId("trigger")}
            aria-label="Trigger"
            value={draft.trigger}
            disabled={readOnly}
            aria-invalid={errorFor("trigger") ? true : undefined}
            onChange={(e) => setTrigger(e.target.value as TriggerType)}
          >
            {(catalog.data?.triggers.length ? catalog.data.triggers.map((t) => t.id) : [...TRIGGER_TYPES]).map((t) => (
              <option key={t} value={t}>
                {triggerLabel(t, catalog.data) || TRIGGER_LABELS[t as TriggerType]}
              </option>
            ))}
          </NativeSelect>
          {errorFor("trigger") && <p className="text-sm text-red-700">{errorFor("trigger")}</p>}
        </section>

        <section aria-labelledby="if-heading" className="flex flex-col gap-2">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id="if-heading" className="text-base font-semibold">
              If
            </h2>
            <NativeSelect
              id={fieldId("conditions.match")}
              aria-label="Which conditions must hold"
              className="w-56"
              value={draft.match}
              disabled={readOnly}
              onChange={(e) => setDraft((d) => ({ ...d, match: e.target.value === "any" ? "any" : "all" }))}
            >
              <option value="all">All of these hold</option>
              <option value="any">Any of these holds</option>
            </NativeSelect>
          </div>
          {(errorFor("conditions") || errorFor("conditions.rules")) && (
            <p className="text-sm text-red-700">{errorFor("conditions") || errorFor("conditions.rules")}</p>
          )}
          {draft.conditions.length === 0 ? (
            <p className="text-sm text-muted-foreground">No conditions: it runs on every such event.</p>
          ) : (
            <ul className="flex flex-col gap-2" aria-label="Conditions">
              {draft.conditions.map((c, i) => (
                <ConditionRow
                  key={c.key}
                  index={i}
                  condition={c}
                  fields={fields}
                  members={members.data ?? []}
                  disabled={readOnly}
                  errorFor={errorFor}
                  onChange={(next) => setDraft((d) => ({ ...d, conditions: d.conditions.map((x) => (x.key === c.key ? next : x)) }))}
                  onRemove={() => {
                    setDraft((d) => ({ ...d, conditions: d.conditions.filter((x) => x.key !== c.key) }));
                    addConditionRef.current?.focus();
                  }}
                />
              ))}
            </ul>
          )}
          {!readOnly && (
            <Button ref={addConditionRef} variant="outline" size="sm" className="self-start" disabled={draft.conditions.length >= 20 || fields.length === 0} onClick={addCondition}>
              <Plus aria-hidden="true" />
              Add condition
            </Button>
          )}
        </section>

        <section aria-labelledby="then-heading" className="flex flex-col gap-2">
          <h2 id="then-heading" className="text-base font-semibold">
            Then
          </h2>
          {errorFor("actions") && (
            <p id={`${fieldId("actions")}-error`} className="text-sm text-red-700">
              {errorFor("actions")}
            </p>
          )}
          {draft.actions.length === 0 && (
            <p className="rounded-md border border-dashed border-border p-4 text-sm text-muted-foreground" data-testid="no-actions">
              No action yet. {readOnly ? "" : "Add an action below: what should happen each time this automation runs."}
            </p>
          )}
          <ol className="flex flex-col gap-3" aria-label="Actions">
            {draft.actions.map((a, i) => (
              <ActionCard
                key={a.key}
                index={i}
                count={draft.actions.length}
                action={a}
                catalog={catalog.data}
                variables={variables}
                members={members.data ?? []}
                endpoints={endpoints.data ?? []}
                disabled={readOnly}
                errorFor={errorFor}
                onChange={(next) => setDraft((d) => ({ ...d, actions: d.actions.map((x) => (x.key === a.key ? next : x)) }))}
                onMove={(to) => setDraft((d) => ({ ...d, actions: move(d.actions, i, to) }))}
                onRemove={() => {
                  setDraft((d) => ({ ...d, actions: d.actions.filter((x) => x.key !== a.key) }));
                  addActionRef.current?.focus();
                }}
              />
            ))}
          </ol>
          {!readOnly && (
            <div className="flex flex-wrap items-center gap-2">
              <NativeSelect
                ref={addActionRef}
                id={fieldId("actions")}
                aria-invalid={errorFor("actions") ? true : undefined}
                aria-describedby={errorFor("actions") ? `${fieldId("actions")}-error` : undefined}
                aria-label="Action to add"
                className="w-64"
                value={addType || allowedActions[0] || ""}
                onChange={(e) => setAddType(e.target.value as ActionType)}
              >
                {allowedActions.map((t) => (
                  <option key={t} value={t}>
                    {actionLabel(t, catalog.data)}
                  </option>
                ))}
              </NativeSelect>
              <Button variant="outline" size="sm" disabled={draft.actions.length >= 10} onClick={addAction}>
                <Plus aria-hidden="true" />
                {draft.actions.length === 0 ? "Add an action" : "Add action"}
              </Button>
            </div>
          )}
        </section>

        {!readOnly && (
          <div className="flex flex-wrap items-center gap-2 border-t border-border pt-4">
            <Button type="submit" disabled={pending || (rule !== null && !dirty)}>
              {pending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Save aria-hidden="true" />}
              {rule ? "Save" : "Save, turned off"}
            </Button>
            {rule && (
              <Button variant="outline" className="text-red-700 hover:text-red-800" onClick={() => setDeleting(true)}>
                <Trash2 aria-hidden="true" />
                Delete
              </Button>
            )}
            {rule && (
              <span className="text-xs text-muted-foreground" role="status">
                {dirty ? `Saving publishes version ${rule.version + 1}.` : "No changes to save."}
              </span>
            )}
          </div>
        )}
      </form>

      {/* before the first save too: the draft is what is tested (POST .../automations/test) */}
      <div className="mt-8">
        <TestPanel teamId={teamId} ruleId={rule?.id ?? null} draft={body} catalog={catalog.data} admin={admin} />
      </div>

      {rule && (
        <>
          <section aria-labelledby="runs-heading" className="mt-8">
            <h2 id="runs-heading" className="mb-3 text-base font-semibold">
              Runs
            </h2>
            <RunList
              teamId={teamId}
              ruleId={rule.id}
              showRule={false}
              status={runStatus}
              onStatusChange={(s) => setSearch(s ? { status: s } : {}, { replace: true })}
            />
          </section>
          <section aria-labelledby="versions-heading" className="mt-8">
            <h2 id="versions-heading" className="mb-3 text-base font-semibold">
              Versions
            </h2>
            <ul className="divide-y divide-border rounded-lg border border-border text-sm">
              {versions.map((v) => (
                <li key={v.id} className="flex flex-wrap gap-x-3 px-4 py-2">
                  <Link
                    className="font-medium underline"
                    to={teamPath(teamId, `automations/${encodeURIComponent(rule.id)}/versions/${v.version}`)}
                  >
                    Version {v.version}
                  </Link>
                  <span className="min-w-0 flex-1 truncate">{v.name}</span>
                  <span className="text-muted-foreground" title={formatDateTime(v.created_at)}>
                    {v.created_by ? `${v.created_by.name || v.created_by.email} · ` : ""}
                    {formatRelative(v.created_at)}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}

      <AlertDialog open={deleting} onOpenChange={setDeleting}>
        <AlertDialogContent onCloseAutoFocus={returnFocus.onCloseAutoFocus}>
          <RememberOpener openerRef={returnFocus.openerRef} />
          <AlertDialogHeader>
            <AlertDialogTitle>Delete {rule?.name}?</AlertDialogTitle>
            <AlertDialogDescription>Its versions and its run log go with it. Tasks and notes it created stay.</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction className="bg-destructive text-white hover:bg-destructive/90" onClick={remove}>
              Delete
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}

/** A check made in the editor before saving: `{ruleErrorAt: {path, message}}`, shown like the API's field errors. */
function isLocalError(err: unknown): err is { ruleErrorAt: { path: string; message: string } } {
  return typeof err === "object" && err !== null && "ruleErrorAt" in err;
}
