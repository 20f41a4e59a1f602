import { CONDITION_FIELDS, OP_LABELS, describeAction, showValue, triggerLabel } from "@/lib/automationText";
import type { Action, Catalog, Conditions } from "@/lib/automationTypes";

/** A published rule version, read-only: When (trigger), If (conditions), Then (actions with their templates). */
export function VersionView({
  version,
  catalog,
}: {
  version: { trigger: string; conditions: Conditions; actions: Action[] };
  catalog: Catalog | undefined;
}) {
  return (
    <div className="text-sm">
      <p>
        <span className="font-medium">When</span> {triggerLabel(version.trigger, catalog).toLowerCase()}
      </p>
      {version.conditions.rules.length > 0 ? (
        <div className="mt-1">
          <span className="font-medium">If</span> {version.conditions.match === "any" ? "any" : "all"} of:
          <ul className="ml-5 list-disc">
            {version.conditions.rules.map((c, i) => (
              <li key={i}>
                {CONDITION_FIELDS[c.field]?.label ?? c.field} {OP_LABELS[c.op] ?? c.op} {showValue(c.value)}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="mt-1">
          <span className="font-medium">If</span> always (no conditions)
        </p>
      )}
      <div className="mt-1">
        <span className="font-medium">Then</span>
        <ol className="ml-5 list-decimal">
          {version.actions.map((a, i) => (
            <li key={i}>
              {describeAction(a, catalog)}
              {a.continue_on_failure && <span className="text-muted-foreground"> (continues if it fails)</span>}
              {a.template && <pre className="mt-1 whitespace-pre-wrap break-words rounded bg-muted p-2 font-mono text-xs">{a.template}</pre>}
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}
