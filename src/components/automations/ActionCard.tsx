import { useRef } from "react";
import { ArrowDown, ArrowUp, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { STAGE_LABELS } from "@/components/LeadStageBadge";
import { actionLabel, fieldId } from "@/lib/automationText";
import type { Keyed } from "@/lib/automationDraft";
import type { Action, Catalog, CatalogVariable, Endpoint } from "@/lib/automationTypes";
import { LEAD_STAGES, type Member } from "@/lib/types";
import { TemplateField } from "./TemplateField";

/** The parameters each action's card renders (an error on any other path is shown on the card itself). */
const PARAMS: Record<string, string[]> = {
  create_tasks: ["due_in_days", "fallback_assignee_id", "continue_on_failure"],
  add_note: ["template", "continue_on_failure"],
  set_stage: ["stage", "allow_backwards", "continue_on_failure"],
  post_slack: ["template", "continue_on_failure"],
  post_discord: ["template", "continue_on_failure"],
  send_webhook: ["endpoint_id", "template", "continue_on_failure"],
};

/**
 * One "Then" step: its type and parameters, with move up / move down / remove. Focus stays on the control used to
 * move (or on its sibling when that one becomes the end of the list); controls carry their body path's id.
 */
export function ActionCard({
  index,
  count,
  action,
  catalog,
  variables,
  members,
  endpoints,
  disabled,
  errorFor,
  onChange,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  action: Keyed<Action>;
  catalog: Catalog | undefined;
  variables: CatalogVariable[];
  members: Member[];
  endpoints: Endpoint[];
  disabled: boolean;
  errorFor: (path: string) => string | null;
  onChange: (action: Keyed<Action>) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const base = `actions[${index}]`;
  const n = index + 1;
  const label = actionLabel(action.type, catalog);
  const upRef = useRef<HTMLButtonElement>(null);
  const downRef = useRef<HTMLButtonElement>(null);
  const set = (patch: Partial<Action>) => onChange({ ...action, ...patch });
  const p = (name: string) => `${base}.${name}`;
  const known = PARAMS[action.type] ?? [];
  const cardErrors = [base, `${base}.type`]
    .map(errorFor)
    .filter((e): e is string => !!e);
  // errors on parameters this card has no control for
  for (const name of ["due_in_days", "fallback_assignee_id", "template", "stage", "allow_backwards", "endpoint_id", "continue_on_failure"]) {
    if (!known.includes(name)) {
      const e = errorFor(p(name));
      if (e) cardErrors.push(e);
    }
  }

  const moveBy = (delta: -1 | 1) => {
    const to = index + delta;
    onMove(to);
    // the button pressed is disabled at the ends of the list: hand focus to its sibling
    requestAnimationFrame(() => {
      const atEnd = delta === -1 ? to === 0 : to === count - 1;
      if (atEnd) (delta === -1 ? downRef : upRef).current?.focus();
    });
  };

  const FieldError = ({ name }: { name: string }) => {
    const e = errorFor(p(name));
    return e ? (
      <p id={`${fieldId(p(name))}-error`} className="text-sm text-red-700">
        {e}
      </p>
    ) : null;
  };
  const invalid = (name: string) => (errorFor(p(name)) ? true : undefined);
  const describedBy = (name: string) => (errorFor(p(name)) ? `${fieldId(p(name))}-error` : undefined);

  return (
    <li className="rounded-lg border border-border bg-card" data-testid="action-card">
      <div className="flex flex-wrap items-center gap-2 border-b border-border px-4 py-2">
        <h3 id={fieldId(`${base}.type`)} tabIndex={-1} className="flex-1 text-sm font-semibold outline-none">
          {n}. {label}
        </h3>
        {!disabled && (
          <div className="flex items-center gap-1">
            <Button ref={upRef} variant="ghost" size="icon" aria-label={`Move action ${n} up`} disabled={index === 0} onClick={() => moveBy(-1)}>
              <ArrowUp aria-hidden="true" />
            </Button>
            <Button
              ref={downRef}
              variant="ghost"
              size="icon"
              aria-label={`Move action ${n} down`}
              disabled={index === count - 1}
              onClick={() => moveBy(1)}
            >
              <ArrowDown aria-hidden="true" />
            </Button>
            <Button variant="ghost" size="icon" aria-label={`Remove action ${n}`} onClick={onRemove}>
              <Trash2 aria-hidden="true" />
            </Button>
          </div>
        )}
      </div>
      <div className="flex flex-col gap-3 p-4">
        {cardErrors.map((e) => (
          <p key={e} className="text-sm text-red-700">
            {e}
          </p>
        ))}
        {action.type === "create_tasks" && (
          <>
            <div className="flex flex-wrap gap-3">
              <div className="w-36">
                <Label htmlFor={fieldId(p("due_in_days"))}>Due in (days)</Label>
                <Input
                  id={fieldId(p("due_in_days"))}
                  className="mt-1"
                  type="number"
                  min={0}
                  max={365}
                  disabled={disabled}
                  value={action.due_in_days ?? ""}
                  aria-invalid={invalid("due_in_days")}
                  aria-describedby={describedBy("due_in_days")}
                  onChange={(e) => set({ due_in_days: e.target.value === "" ? undefined : Number(e.target.value) })}
                />
              </div>
              <div className="min-w-48 flex-1">
                <Label htmlFor={fieldId(p("fallback_assignee_id"))}>Otherwise assign to</Label>
                <NativeSelect
                  id={fieldId(p("fallback_assignee_id"))}
                  className="mt-1"
                  disabled={disabled}
                  value={action.fallback_assignee_id ?? ""}
                  aria-invalid={invalid("fallback_assignee_id")}
                  onChange={(e) => set({ fallback_assignee_id: e.target.value || undefined })}
                >
                  <option value="">Nobody</option>
                  {members.map((m) => (
                    <option key={m.user_id} value={m.user_id}>
                      {m.full_name?.trim() || m.email}
                    </option>
                  ))}
                </NativeSelect>
              </div>
            </div>
            <p className="text-xs text-muted-foreground">
              Each action item becomes a task for the team member with the item's e-mail, else the lead's owner, else the
              person chosen here.
            </p>
            <FieldError name="due_in_days" />
            <FieldError name="fallback_assignee_id" />
          </>
        )}
        {action.type === "set_stage" && (
          <div className="flex flex-wrap items-end gap-3">
            <div className="w-48">
              <Label htmlFor={fieldId(p("stage"))}>Stage</Label>
              <NativeSelect
                id={fieldId(p("stage"))}
                className="mt-1"
                disabled={disabled}
                value={action.stage ?? ""}
                aria-invalid={invalid("stage")}
                onChange={(e) => set({ stage: e.target.value })}
              >
                {LEAD_STAGES.map((s) => (
                  <option key={s} value={s}>
                    {STAGE_LABELS[s]}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <label className="inline-flex h-9 items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                disabled={disabled}
                checked={action.allow_backwards === true}
                onChange={(e) => set({ allow_backwards: e.target.checked })}
              />
              Also move backwards
            </label>
            <FieldError name="stage" />
          </div>
        )}
        {action.type === "send_webhook" && (
          <div>
            <Label htmlFor={fieldId(p("endpoint_id"))}>Endpoint</Label>
            <NativeSelect
              id={fieldId(p("endpoint_id"))}
              className="mt-1"
              disabled={disabled}
              value={action.endpoint_id ?? ""}
              aria-invalid={invalid("endpoint_id")}
              aria-describedby={describedBy("endpoint_id")}
              onChange={(e) => set({ endpoint_id: e.target.value })}
            >
              <option value="">Choose an endpoint</option>
              {endpoints.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name} ({e.path_hint})
                </option>
              ))}
            </NativeSelect>
            {endpoints.length === 0 && (
              <p className="mt-1 text-xs text-muted-foreground">Add an endpoint under Webhook endpoints on the Automations page.</p>
            )}
            <FieldError name="endpoint_id" />
          </div>
        )}
        {known.includes("template") && (
          <TemplateField
            id={fieldId(p("template"))}
            label={
              action.type === "add_note"
                ? `Note of action ${n}`
                : action.type === "send_webhook"
                  ? `Text of action ${n} (optional)`
                  : `Message of action ${n}`
            }
            value={action.template ?? ""}
            onChange={(template) => set({ template })}
            variables={variables}
            error={errorFor(p("template"))}
            disabled={disabled}
            hint={
              action.type === "post_slack" || action.type === "post_discord"
                ? "Markdown (**bold**, *italic*, lists, [links](https://…), # headings) is converted for the channel; values are shown as written. A link to the meeting in the CRM is added."
                : action.type === "send_webhook"
                  ? "Sent as `text` in the JSON body next to the meeting and lead."
                  : undefined
            }
          />
        )}
        <label className="inline-flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="size-4 accent-primary"
            disabled={disabled}
            checked={action.continue_on_failure === true}
            onChange={(e) => set({ continue_on_failure: e.target.checked })}
          />
          If this fails, go on with the next actions
        </label>
      </div>
    </li>
  );
}
