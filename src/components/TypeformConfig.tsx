import { useId, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { IntegrationConfig } from "@/components/IntegrationConfig";
import { errorMessage } from "@/lib/errorMessages";
import { toast } from "@/lib/toast";
import { type FormMapping, type LeadField, typeformApi, type TypeformFormView } from "@/lib/typeformApi";
import { isTeamAdmin, type TeamRole } from "@/lib/types";
import { formatDateTime } from "@/lib/utils";

export interface TypeformConfigProps {
  teamId: string;
  role: TeamRole;
}

const formsKey = (teamId: string) => ["typeform-forms", teamId] as const;

/** Typeform's own refusals in words (kept in this chunk, not the page's shared table: the page's budget is full). */
const TYPEFORM_ERRORS: Record<string, string> = {
  invalid_mapping: "The CRM needs an e-mail question to make a lead. Choose one under Fields.",
  form_not_found: "Typeform no longer has this form.",
  provider_rate_limited: "Typeform asks us to slow down. Try again in a moment.",
  provider_error: "Typeform did not answer as expected. Try again in a moment.",
  needs_reauth: "Typeform refused our access. Reconnect Typeform.",
};
function typeformErrorText(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && Object.hasOwn(TYPEFORM_ERRORS, code) ? TYPEFORM_ERRORS[code] : errorMessage(err);
}

/**
 * Typeform's dialog (its own lazy chunk): the shared shell, then the account's forms, a switch per form (on: the
 * CRM asks Typeform to send new responses here and imports past ones; off: it stops), the field mapping of a form,
 * and the last response refused on the form's row.
 */
export default function TypeformConfig({ teamId, role }: TypeformConfigProps) {
  return (
    <IntegrationConfig
      provider="typeform"
      teamId={teamId}
      role={role}
      intro={
        <p className="rounded-lg border border-dashed border-border p-4 text-sm text-muted-foreground">
          Connect Typeform, then switch on the forms whose responses should become leads. Each response's answers are
          added to its lead's timeline.
        </p>
      }
      connectedText="Switch on a form below to turn its responses into leads."
      stoppedText="new responses are not becoming leads"
      disconnectText="New Typeform responses will stop becoming leads. Leads already made stay."
    >
      {({ status }) => (status === "connected" ? <FormsPanel teamId={teamId} canManage={isTeamAdmin(role)} /> : null)}
    </IntegrationConfig>
  );
}

function FormsPanel({ teamId, canManage }: { teamId: string; canManage: boolean }) {
  const forms = useQuery({
    queryKey: formsKey(teamId),
    queryFn: () => typeformApi.listForms(teamId),
    // an import of past responses is visible while it runs
    refetchInterval: (q) => (q.state.data?.some((f) => f.backfill.status === "running") ? 2000 : false),
  });
  return (
    <section aria-labelledby="typeform-forms-title" className="flex flex-col gap-2">
      <h3 id="typeform-forms-title" className="text-sm font-semibold">
        Forms
      </h3>
      {forms.isPending ? (
        <p className="flex items-center gap-2 text-sm text-muted-foreground">
          <Loader2 className="size-4 animate-spin" aria-hidden="true" /> Loading your forms…
        </p>
      ) : forms.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Couldn't load your forms: {typeformErrorText(forms.error)}{" "}
          <Button variant="link" size="sm" className="h-auto p-0" onClick={() => void forms.refetch()}>
            Retry
          </Button>
        </p>
      ) : forms.data.length === 0 ? (
        <p className="text-sm text-muted-foreground">This Typeform account has no forms yet.</p>
      ) : (
        <ul className="flex flex-col divide-y divide-border rounded-lg border border-border" aria-label="Typeform forms">
          {forms.data.map((f) => (
            <FormRow key={f.form_id} teamId={teamId} form={f} canManage={canManage} />
          ))}
        </ul>
      )}
    </section>
  );
}

function backfillText(f: TypeformFormView): string | null {
  switch (f.backfill.status) {
    case "running":
      return `Importing past responses… ${f.backfill.imported} so far`;
    case "done":
      return `${f.backfill.imported} past response${f.backfill.imported === 1 ? "" : "s"} imported`;
    case "failed":
      return f.backfill.error ?? "The import of past responses stopped.";
    default:
      return null;
  }
}

function FormRow({ teamId, form, canManage }: { teamId: string; form: TypeformFormView; canManage: boolean }) {
  const queryClient = useQueryClient();
  const labelId = useId();
  const [editing, setEditing] = useState(false);
  const save = useMutation({
    mutationFn: (body: { enabled: boolean; mapping?: FormMapping }) => typeformApi.setForm(teamId, form.form_id, body),
    onSuccess: ({ warning }, body) => {
      setEditing(false);
      toast.success(body.enabled ? `${form.title} is on` : `${form.title} is off`);
      if (warning) toast(warning);
      return queryClient.invalidateQueries({ queryKey: formsKey(teamId) });
    },
  });
  const checked = save.isPending && save.variables ? save.variables.enabled : form.enabled;
  const progress = backfillText(form);
  return (
    <li className="flex flex-col gap-2 p-3">
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <p id={labelId} className="truncate text-sm font-medium">
            {form.title}
          </p>
          {form.enabled && progress && (
            <p className={form.backfill.status === "failed" ? "text-xs text-red-700" : "text-xs text-muted-foreground"}>{progress}</p>
          )}
          {form.last_refusal && (
            <p className="mt-1 flex items-start gap-1 text-xs text-amber-800">
              <AlertTriangle className="mt-0.5 size-3 shrink-0" aria-hidden="true" />
              <span>
                Last refused{form.last_refusal.at ? ` ${formatDateTime(form.last_refusal.at)}` : ""}: {form.last_refusal.reason}
              </span>
            </p>
          )}
        </div>
        {canManage && (
          <Button variant="ghost" size="sm" onClick={() => setEditing((e) => !e)} aria-expanded={editing} aria-label={`Fields of ${form.title}`}>
            Fields
          </Button>
        )}
        <Switch
          checked={checked}
          onCheckedChange={(v) => save.mutate({ enabled: v })}
          disabled={!canManage || save.isPending}
          aria-labelledby={labelId}
        />
      </div>
      {save.isError && (
        <p role="alert" className="text-xs text-red-700">
          {typeformErrorText(save.error)}
        </p>
      )}
      {editing && <MappingEditor teamId={teamId} form={form} pending={save.isPending} onSave={(mapping) => save.mutate({ enabled: true, mapping })} />}
    </li>
  );
}

const LEAD_FIELDS: { key: LeadField; label: string }[] = [
  { key: "email", label: "E-mail (required)" },
  { key: "name", label: "Name" },
  { key: "company", label: "Company" },
  { key: "notes", label: "Notes" },
];

function MappingEditor({ teamId, form, pending, onSave }: { teamId: string; form: TypeformFormView; pending: boolean; onSave: (m: FormMapping) => void }) {
  const detail = useQuery({ queryKey: ["typeform-form", teamId, form.form_id], queryFn: () => typeformApi.getForm(teamId, form.form_id) });
  const [draft, setDraft] = useState<FormMapping | null>(null);
  const idBase = useId();
  if (detail.isPending) return <p className="text-xs text-muted-foreground">Loading the form's questions…</p>;
  if (detail.isError) return <p role="alert" className="text-xs text-red-700">Couldn't load the form: {typeformErrorText(detail.error)}</p>;
  const mapping = draft ?? detail.data.mapping ?? detail.data.suggested;
  return (
    <form
      className="grid gap-2 rounded-md bg-muted/40 p-3 sm:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(mapping);
      }}
    >
      {LEAD_FIELDS.map(({ key, label }) => (
        <div key={key} className="flex flex-col gap-1">
          <label htmlFor={`${idBase}-${key}`} className="text-xs font-medium">
            {label}
          </label>
          <NativeSelect
            id={`${idBase}-${key}`}
            value={mapping[key] ?? ""}
            onChange={(e) => setDraft({ ...mapping, [key]: e.target.value || undefined })}
            required={key === "email"}
          >
            <option value="">{key === "email" ? "Choose a question" : "Not used"}</option>
            {detail.data.fields
              .filter((f) => key !== "email" || f.type === "email" || f.type === "short_text")
              .map((f) => (
                <option key={f.id} value={f.id}>
                  {f.title}
                </option>
              ))}
          </NativeSelect>
        </div>
      ))}
      <div className="sm:col-span-2">
        <Button type="submit" size="sm" disabled={pending || !mapping.email}>
          {pending && <Loader2 className="animate-spin" aria-hidden="true" />}
          {form.enabled ? "Save fields" : "Save and switch on"}
        </Button>
      </div>
    </form>
  );
}
