import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { STAGE_LABELS } from "@/components/LeadStageBadge";
import { CONDITION_FIELDS, OP_LABELS, SOURCE_LABELS, defaultConditionValue, fieldId } from "@/lib/automationText";
import type { Keyed } from "@/lib/automationDraft";
import type { Condition } from "@/lib/automationTypes";
import { EVENT_SOURCES } from "@/lib/automationTypes";
import { LEAD_STAGES, type Member } from "@/lib/types";

/**
 * One "If" row: field, operator, value (a number, yes/no, text, stages, an owner or sources, by the field). Its
 * controls carry the ids of the body paths (`conditions.rules[0].value`), so an API error lands at its control.
 */
export function ConditionRow({
  index,
  condition,
  fields,
  members,
  disabled,
  errorFor,
  onChange,
  onRemove,
}: {
  index: number;
  condition: Keyed<Condition>;
  fields: { field: string; label: string; ops: string[] }[];
  members: Member[];
  disabled: boolean;
  errorFor: (path: string) => string | null;
  onChange: (condition: Keyed<Condition>) => void;
  onRemove: () => void;
}) {
  const base = `conditions.rules[${index}]`;
  const meta = CONDITION_FIELDS[condition.field];
  const ops = fields.find((f) => f.field === condition.field)?.ops ?? meta?.ops ?? [condition.op];
  const known = fields.some((f) => f.field === condition.field);
  const n = index + 1;
  const errors = [`${base}`, `${base}.field`, `${base}.op`, `${base}.value`].map(errorFor).filter(Boolean);

  const setField = (field: string) => {
    const f = fields.find((x) => x.field === field);
    onChange({ ...condition, field, op: f?.ops[0] ?? "", value: defaultConditionValue(field) });
  };

  return (
    <li className="flex flex-col gap-2 rounded-md border border-border p-3" data-testid="condition-row">
      <div className="flex flex-wrap items-start gap-2">
        <NativeSelect
          id={fieldId(`${base}.field`)}
          aria-label={`Condition ${n}: field`}
          className="min-w-44 flex-1"
          value={condition.field}
          disabled={disabled}
          aria-invalid={errorFor(`${base}.field`) ? true : undefined}
          onChange={(e) => setField(e.target.value)}
        >
          {!known && <option value={condition.field}>{meta?.label ?? condition.field} (not available for this trigger)</option>}
          {fields.map((f) => (
            <option key={f.field} value={f.field}>
              {f.label}
            </option>
          ))}
        </NativeSelect>
        <NativeSelect
          id={fieldId(`${base}.op`)}
          aria-label={`Condition ${n}: operator`}
          className="w-40"
          value={condition.op}
          disabled={disabled}
          onChange={(e) => onChange({ ...condition, op: e.target.value })}
        >
          {ops.map((op) => (
            <option key={op} value={op}>
              {OP_LABELS[op] ?? op}
            </option>
          ))}
        </NativeSelect>
        <div className="min-w-44 flex-1">
          <ValueEditor n={n} id={fieldId(`${base}.value`)} condition={condition} members={members} disabled={disabled} invalid={!!errorFor(`${base}.value`)} onChange={(value) => onChange({ ...condition, value })} />
        </div>
        {!disabled && (
          <Button variant="ghost" size="icon" aria-label={`Remove condition ${n}`} onClick={onRemove}>
            <X aria-hidden="true" />
          </Button>
        )}
      </div>
      {errors.map((e) => (
        <p key={e} className="text-sm text-red-700">
          {e}
        </p>
      ))}
    </li>
  );
}

function ValueEditor({
  n,
  id,
  condition,
  members,
  disabled,
  invalid,
  onChange,
}: {
  n: number;
  id: string;
  condition: Condition;
  members: Member[];
  disabled: boolean;
  invalid: boolean;
  onChange: (value: Condition["value"]) => void;
}) {
  const label = `Condition ${n}: value`;
  const kind = CONDITION_FIELDS[condition.field]?.kind ?? "text";
  const v = condition.value;
  const aria = { id, "aria-label": label, "aria-invalid": invalid ? true : undefined, disabled };
  switch (kind) {
    case "number":
      return (
        <Input
          {...aria}
          type="number"
          min={0}
          inputMode="numeric"
          value={typeof v === "number" ? String(v) : ""}
          onChange={(e) => onChange(e.target.value === "" ? 0 : Number(e.target.value))}
        />
      );
    case "boolean":
      return (
        <NativeSelect {...aria} value={v === false ? "false" : "true"} onChange={(e) => onChange(e.target.value === "true")}>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </NativeSelect>
      );
    case "owner":
      return (
        <NativeSelect {...aria} value={typeof v === "string" ? v : "none"} onChange={(e) => onChange(e.target.value)}>
          <option value="none">No owner</option>
          {members.map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.full_name?.trim() || m.email}
            </option>
          ))}
        </NativeSelect>
      );
    case "stages":
    case "sources": {
      const options: [string, string][] =
        kind === "stages"
          ? LEAD_STAGES.map((s) => [s, STAGE_LABELS[s]])
          : EVENT_SOURCES.map((s) => [s, SOURCE_LABELS[s] ?? s]);
      const chosen = Array.isArray(v) ? v : [];
      return (
        <fieldset id={id} aria-invalid={invalid ? true : undefined} tabIndex={-1} className="flex flex-wrap gap-x-3 gap-y-1 outline-none">
          <legend className="sr-only">{label}</legend>
          {options.map(([value, text]) => (
            <label key={value} className="inline-flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                disabled={disabled}
                checked={chosen.includes(value)}
                onChange={(e) => onChange(e.target.checked ? [...chosen, value] : chosen.filter((x) => x !== value))}
              />
              {text}
            </label>
          ))}
        </fieldset>
      );
    }
    default:
      return <Input {...aria} maxLength={200} value={typeof v === "string" ? v : ""} onChange={(e) => onChange(e.target.value)} />;
  }
}
