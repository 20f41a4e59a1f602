import { z } from "zod/mini";
import { ApiError } from "./apiError";
import { count, field, isoTime, listOf, mapped, objectOrNull, trimmed } from "./tolerant";
import type {
  Action,
  Catalog,
  Conditions,
  ConditionsResult,
  DryRunResult,
  StepBrief,
  Endpoint,
  Rule,
  RuleProblem,
  RuleSummary,
  RuleVersion,
  RuleVersionDetail,
  RunDetail,
  RunRef,
  RunStatus,
  RunsPage,
  RunStep,
  RunSummary,
  StepStatus,
} from "./automationTypes";

/**
 * The app's edge for the automations API (docs/architecture.md "Automations"). Our own server sends these shapes;
 * the parsers still never crash a page on an odd value: an entry without an id is dropped, an unknown status reads
 * "unknown", a missing count is 0. Loaded with the automation pages only (the Integrations page's budget).
 */

const RUN_STATUSES: readonly RunStatus[] = ["queued", "running", "retrying", "succeeded", "skipped", "dead", "cancelled"];
const STEP_STATUSES: readonly StepStatus[] = ["pending", "running", "succeeded", "failed", "skipped"];

const oneOf = <T extends string>(values: readonly T[], fallback: T) =>
  field((v): T => (typeof v === "string" && (values as readonly string[]).includes(v) ? (v as T) : fallback));

const id = field((v) => (typeof v === "string" && v.trim() ? v.trim() : null));
const str = (fallback: string) => field((v) => (typeof v === "string" ? v : fallback));
const flag = field((v) => v === true);
const intOrNull = field((v) => (typeof v === "number" && Number.isFinite(v) ? v : null));
const anything = field((v) => v);
const record = field((v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null));

const conditions = field((v): Conditions => {
  const c = v as { match?: unknown; rules?: unknown } | null;
  const match = c?.match === "any" ? "any" : "all";
  const rules = Array.isArray(c?.rules)
    ? (c.rules as unknown[]).filter(
        (r): r is Conditions["rules"][number] =>
          r !== null && typeof r === "object" && typeof (r as { field?: unknown }).field === "string",
      )
    : [];
  return { match, rules };
});

const actions = field((v): Action[] =>
  Array.isArray(v) ? v.filter((a): a is Action => a !== null && typeof a === "object" && typeof a.type === "string") : [],
);

const runRef = mapped(
  objectOrNull(z.object({ id, status: oneOf(RUN_STATUSES, "unknown"), created_at: isoTime, version: intOrNull })),
  // `version` only where the server names it (a run's re-run links), so a rule's last_run stays {id, status, created_at}
  (r) =>
    r?.id
      ? ({ id: r.id, status: r.status, created_at: r.created_at, ...(r.version !== null ? { version: r.version } : {}) } satisfies RunRef)
      : null,
);

const summaryShape = {
  id,
  name: str("Untitled automation"),
  trigger: str(""),
  enabled: flag,
  version: count(0),
  paused_reason: trimmed,
  paused_at: isoTime,
  created_at: isoTime,
  updated_at: isoTime,
  last_run: runRef,
  stats_7d: field((v) => {
    const s = (v ?? {}) as Record<string, unknown>;
    const n = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : 0);
    return { succeeded: n(s.succeeded), failed: n(s.failed), skipped: n(s.skipped) };
  }),
  dead_count: count(0),
  retrying: field((v) => {
    const r = (v ?? {}) as Record<string, unknown>;
    const n = typeof r.count === "number" && Number.isFinite(r.count) && r.count > 0 ? Math.floor(r.count) : 0;
    const e = typeof r.last_error === "string" && r.last_error.trim() ? r.last_error.trim() : null;
    return { count: n, last_error: n > 0 ? e : null };
  }),
  problems: field((v): RuleProblem[] =>
    Array.isArray(v)
      ? v.flatMap((p) => {
          const o = p as { action_index?: unknown; field?: unknown; message?: unknown; provider?: unknown } | null;
          const provider: Pick<RuleProblem, "provider"> =
            o?.provider === "slack" || o?.provider === "discord" ? { provider: o.provider } : {};
          return o && typeof o.action_index === "number" && typeof o.message === "string" && o.message.trim()
            ? [{ action_index: o.action_index, field: typeof o.field === "string" ? o.field : "", message: o.message, ...provider }]
            : [];
        })
      : [],
  ),
};

const ruleSummary = mapped(z.object(summaryShape), (r): RuleSummary | null => (r.id ? { ...r, id: r.id } : null));
const rule = mapped(
  z.object({ ...summaryShape, conditions, actions }),
  (r): Rule | null => (r.id ? { ...r, id: r.id } : null),
);

const version = mapped(
  z.object({
    id,
    version: count(0),
    name: str(""),
    created_at: isoTime,
    created_by: objectOrNull(z.object({ id: str(""), name: trimmed, email: trimmed })),
  }),
  (v): RuleVersion | null => (v.id ? { ...v, id: v.id } : null),
);

const ref = <K extends string>(label: K) =>
  mapped(objectOrNull(z.object({ id, [label]: trimmed } as { id: typeof id } & Record<K, typeof trimmed>)), (x) => {
    const o = x as ({ id: string | null } & Record<string, string | null>) | null;
    return o?.id ? { id: o.id, [label]: o[label] ?? "" } : null;
  });

const runShape = {
  id,
  rule_id: id,
  rule_name: str("Deleted automation"),
  version: intOrNull,
  version_name: str(""),
  status: oneOf(RUN_STATUSES, "unknown"),
  skip_reason: trimmed,
  lead: ref("name"),
  meeting: ref("title"),
  attempt: count(0),
  next_attempt_at: isoTime,
  error_code: trimmed,
  error_message: trimmed,
  created_at: isoTime,
  started_at: isoTime,
  finished_at: isoTime,
  retry_of: id,
  outcomes: field((v): StepBrief[] | null => {
    if (!Array.isArray(v)) return null;
    const t = (x: unknown) => (typeof x === "string" && x.trim() ? x : null);
    return v.flatMap((o) => {
      if (o === null || typeof o !== "object" || typeof o.action_type !== "string") return [];
      const created = typeof o.created === "number" || typeof o.created === "boolean" ? o.created : null;
      return [{ action_type: o.action_type, created, to: t(o.to), sent: t(o.sent), channel: t(o.channel), workspace: t(o.workspace), endpoint: t(o.endpoint) }];
    });
  }),
};

const toSummary = (r: z.output<z.ZodMiniObject<typeof runShape>>): RunSummary | null =>
  r.id
    ? {
        ...r,
        id: r.id,
        lead: r.lead as RunSummary["lead"],
        meeting: r.meeting as RunSummary["meeting"],
      }
    : null;

const runSummary = mapped(z.object(runShape), toSummary);

const conditionsResult = field((v): ConditionsResult | null => {
  if (v === null || typeof v !== "object") return null;
  const c = v as { passed?: unknown; results?: unknown };
  const results = Array.isArray(c.results)
    ? c.results
        .filter((r) => r !== null && typeof r === "object")
        .map((r) => ({
          field: String(r.field ?? ""),
          op: String(r.op ?? ""),
          value: r.value,
          actual: r.actual,
          passed: r.passed === true,
        }))
    : [];
  return { passed: c.passed === true, results };
});

const step = mapped(
  z.object({
    step_index: count(0),
    action_type: str("unknown"),
    status: oneOf(STEP_STATUSES, "unknown"),
    resolved_input: anything,
    output: anything,
    error_code: trimmed,
    error_message: trimmed,
    attempts: count(0),
    started_at: isoTime,
    finished_at: isoTime,
  }),
  (s): RunStep => s,
);

const runDetail = mapped(
  z.object({
    ...runShape,
    context: record,
    conditions_result: conditionsResult,
    version: field((v) => v),
    steps: listOf(step),
    retries: listOf(runRef),
    retry_of_run: runRef,
    requested: flag,
    max_attempts: intOrNull,
  }),
  (r): RunDetail | null => {
    // the detail's `version` is the rule as it was (an object); the summary's, its number
    const base = toSummary({ ...r, version: typeof r.version === "number" ? r.version : null });
    if (!base) return null;
    const v = r.version as Record<string, unknown> | null;
    const versionRule =
      v && typeof v === "object" && !Array.isArray(v)
        ? {
            id: typeof v.id === "string" ? v.id : "",
            version: typeof v.version === "number" ? v.version : (base.version ?? 0),
            name: typeof v.name === "string" ? v.name : base.rule_name,
            trigger: typeof v.trigger === "string" ? v.trigger : "",
            conditions: conditions.parse(v.conditions),
            actions: actions.parse(v.actions),
          }
        : null;
    return {
      ...base,
      version: base.version ?? versionRule?.version ?? null,
      context: r.context,
      conditions_result: r.conditions_result,
      version_rule: versionRule,
      steps: (r.steps ?? []).sort((a, b) => a.step_index - b.step_index),
      retries: r.retries ?? [],
      retry_of_run: r.retry_of_run ?? null,
      requested: r.requested,
      max_attempts: r.max_attempts,
    };
  },
);

const usedBy = field((v): Endpoint["used_by"] =>
  Array.isArray(v)
    ? v.flatMap((r) => {
        const o = r as { id?: unknown; name?: unknown; enabled?: unknown } | null;
        return o && typeof o.id === "string" ? [{ id: o.id, name: typeof o.name === "string" ? o.name : "", enabled: o.enabled === true }] : [];
      })
    : [],
);

const endpoint = mapped(
  z.object({ id, name: str(""), url_host: str(""), path_hint: str(""), used_by: usedBy, created_at: isoTime }),
  (e): Endpoint | null => (e.id ? { ...e, id: e.id, path_hint: e.path_hint || e.url_host } : null),
);

function bad(what: string): never {
  throw new ApiError("invalid_response", `The server sent ${what} the app cannot read.`);
}

const obj = (v: unknown) => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export function parseRules(body: unknown): RuleSummary[] {
  return listOf(ruleSummary).parse(obj(body)?.rules) ?? [];
}

/** `{rule}` (create, update) or `{rule, versions}` (read). Throws invalid_response without a rule. */
export function parseRule(body: unknown): { rule: Rule; versions: RuleVersion[] } {
  const b = obj(body);
  const r = rule.safeParse(b?.rule);
  if (!r.success || !r.data) bad("an automation");
  return { rule: r.data, versions: listOf(version).parse(b?.versions) ?? [] };
}

const versionDetail = mapped(
  z.object({
    id,
    rule_id: id,
    version: count(0),
    name: str(""),
    trigger: str(""),
    conditions,
    actions,
    created_at: isoTime,
    created_by: objectOrNull(z.object({ id: str(""), name: trimmed, email: trimmed })),
    current_version: count(0),
  }),
  (v): RuleVersionDetail | null => (v.id && v.rule_id ? { ...v, id: v.id, rule_id: v.rule_id } : null),
);

/** `{version}` of GET .../versions/:version. Throws invalid_response without one. */
export function parseVersionDetail(body: unknown): RuleVersionDetail {
  const v = versionDetail.safeParse(obj(body)?.version);
  if (!v.success || !v.data) bad("a version");
  return v.data;
}

export function parseRunsPage(body: unknown): RunsPage {
  const b = obj(body);
  return {
    runs: listOf(runSummary).parse(b?.runs) ?? [],
    next_cursor: typeof b?.next_cursor === "string" && b.next_cursor ? b.next_cursor : null,
  };
}

export function parseRun(body: unknown): RunDetail {
  const r = runDetail.safeParse(obj(body)?.run);
  if (!r.success || !r.data) bad("a run");
  return r.data;
}

export function parseRunSummary(body: unknown): RunSummary {
  const r = runSummary.safeParse(obj(body)?.run);
  if (!r.success || !r.data) bad("a run");
  return r.data;
}

export function parseDryRun(body: unknown): DryRunResult {
  const r = obj(obj(body)?.result);
  if (!r) bad("a test result");
  const acts = Array.isArray(r.actions) ? r.actions : [];
  return {
    conditions: conditionsResult.parse(r.conditions) ?? { passed: true, results: [] },
    actions: acts
      .map(obj)
      .filter((a): a is Record<string, unknown> => a !== null)
      .map((a, i) => {
        const sent = obj(a.sent);
        return {
          index: typeof a.index === "number" ? a.index : i,
          type: typeof a.type === "string" ? a.type : "unknown",
          input: a.input,
          would: typeof a.would === "string" ? a.would : "",
          ...(sent ? { sent: { ok: sent.ok === true, ...(typeof sent.error === "string" ? { error: sent.error } : {}) } } : {}),
          ...(obj(a.delivery) ? { delivery: a.delivery } : {}),
          ...(Array.isArray(a.tasks) ? { tasks: a.tasks } : {}),
          ...(obj(a.posted) ? { posted: a.posted } : {}),
        };
      }),
    missing: Array.isArray(r.missing) ? r.missing.filter((m): m is string => typeof m === "string") : [],
  };
}

export function parseEndpoints(body: unknown): Endpoint[] {
  return listOf(endpoint).parse(obj(body)?.endpoints) ?? [];
}

export function parseCreatedEndpoint(body: unknown): { endpoint: Endpoint; secret: string } {
  const b = obj(body);
  const e = endpoint.safeParse(b?.endpoint);
  if (!e.success || !e.data || typeof b?.secret !== "string") bad("an endpoint");
  return { endpoint: e.data, secret: b.secret };
}

const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

export function parseCatalog(body: unknown): Catalog {
  const b = obj(body);
  if (!b) bad("a catalogue");
  const list = (v: unknown) => (Array.isArray(v) ? v.map(obj).filter((x): x is Record<string, unknown> => x !== null) : []);
  const s = (v: unknown) => (typeof v === "string" ? v : "");
  const byTrigger = <T>(v: unknown, item: (x: Record<string, unknown>) => T | null) =>
    Object.fromEntries(
      Object.entries(obj(v) ?? {}).map(([k, xs]) => [k, list(xs).map(item).filter((x): x is T => x !== null)]),
    );
  return {
    triggers: list(b.triggers)
      .map((t) => ({ id: s(t.id ?? t.type), label: s(t.label) }))
      .filter((t) => t.id),
    actions: list(b.actions)
      .map((a) => ({ type: s(a.type), label: s(a.label), needs_lead: a.needs_lead === true }))
      .filter((a) => a.type),
    filters: list(b.filters)
      .map((f) => ({ name: s(f.name), label: s(f.label), arg: typeof f.arg === "string" ? f.arg : null }))
      .filter((f) => f.name),
    variables: byTrigger(b.variables, (v) =>
      typeof v.path === "string" ? { path: v.path, label: s(v.label) || v.path, example: s(v.example) } : null,
    ),
    conditions: byTrigger(b.conditions, (c) =>
      typeof c.field === "string" ? { field: c.field, label: s(c.label) || c.field, ops: strings(c.ops), value_type: s(c.value_type) } : null,
    ),
  };
}
