import { useCallback, useEffect, useId, useRef, useState } from "react";
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

/**
 * How often the open dialog re-reads its forms (ms) while the tab is visible and no mapping is being edited: a
 * response refused a moment ago, or Typeform back after an outage, shows without reopening. Each read lists the forms
 * at Typeform (2 requests a second per account, shared with the import), hence slower than the meeting page's 5 s.
 */
export const FORMS_REFRESH_MS = 10_000;
/** While a form's past responses are being imported (the row counts them). */
const IMPORT_REFRESH_MS = 2_000;

/** Typeform's own refusals in words (kept in this chunk, not the page's shared table: the page's budget is full). */
const TYPEFORM_ERRORS: Record<string, string> = {
  invalid_mapping: "The CRM needs an e-mail question to make a lead. Choose one under Fields.",
  form_not_found: "Typeform no longer has this form.",
  provider_rate_limited: "Typeform asks us to slow down. Try again in a moment.",
  provider_error: "Typeform did not answer as expected. Try again in a moment.",
  provider_unavailable: "Typeform can't be reached right now. Try again in a moment.",
  provider_timeout: "Typeform didn't answer in time. Try again in a moment.",
  needs_reauth: "Typeform refused our access. Reconnect Typeform.",
};
function typeformErrorText(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && Object.hasOwn(TYPEFORM_ERRORS, code) ? TYPEFORM_ERRORS[code] : errorMessage(err);
}

/**
 * Typeform's dialog (its own lazy chunk): the shared shell, then the account's forms, a switch per form (on: the
 * CRM asks Typeform to send new responses here and imports past ones; off: it stops), the field mapping of a form,
 * and the last response refused on the form's row. A form's first switch-on opens its mapping (guessed, editable)
 * with what switching on does, and switches on from there; a form set up before switches at once. When Typeform
 * fails, the forms the CRM knows stay listed (so what is on can still be switched off). The list reads again every
 * FORMS_REFRESH_MS while the dialog is open and on each opening. The disconnect's note that Typeform keeps the
 * access is the shell's, from the catalog (`noRevocation`, src/lib/providerCopy.ts).
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
  // the forms whose mapping is open: the list holds still while someone edits one
  const [editing, setEditing] = useState<ReadonlySet<string>>(() => new Set());
  const setRowEditing = useCallback((formId: string, on: boolean) => {
    setEditing((now) => {
      if (now.has(formId) === on) return now;
      const next = new Set(now);
      if (on) next.add(formId);
      else next.delete(formId);
      return next;
    });
  }, []);
  const forms = useQuery({
    queryKey: formsKey(teamId),
    queryFn: () => typeformApi.listForms(teamId),
    // an import of past responses is visible while it runs; else the list follows refusals and Typeform's recovery
    refetchInterval: (q) =>
      q.state.data?.forms.some((f) => f.backfill.status === "running") ? IMPORT_REFRESH_MS : editing.size > 0 ? false : FORMS_REFRESH_MS,
    refetchIntervalInBackground: false,
    // reopening the dialog reads again, also within the app's 30 s staleTime: a list kept from before (Typeform's
    // outage notice included) would otherwise stay until Retry
    refetchOnMount: "always",
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
      ) : (
        <>
          {forms.data.unavailable && (
            <p role="alert" className="flex items-start gap-1 rounded-md bg-amber-50 p-2 text-sm text-amber-900">
              <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
              <span>
                {TYPEFORM_ERRORS[forms.data.unavailable.code] ?? TYPEFORM_ERRORS.provider_error} Below are only the forms
                already set up here; you can still switch them off.{" "}
                <Button variant="link" size="sm" className="h-auto p-0" onClick={() => void forms.refetch()}>
                  Retry
                </Button>
              </span>
            </p>
          )}
          {forms.data.forms.length === 0 ? (
            <p className="text-sm text-muted-foreground">This Typeform account has no forms yet.</p>
          ) : (
            <ul className="flex flex-col divide-y divide-border rounded-lg border border-border" aria-label="Typeform forms">
              {forms.data.forms.map((f) => (
                <FormRow
                  key={f.form_id}
                  teamId={teamId}
                  form={f}
                  canManage={canManage}
                  editing={editing.has(f.form_id)}
                  setEditing={setRowEditing}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function backfillText(f: TypeformFormView): string | null {
  switch (f.backfill.status) {
    case "running":
      return `Importing past responses… ${f.backfill.imported} so far`;
    case "done":
      // 0 after a reconnect: the past responses were all imported before (deduplicated), not lost
      return f.backfill.imported === 0
        ? "No new past responses"
        : `${f.backfill.imported} past response${f.backfill.imported === 1 ? "" : "s"} imported`;
    case "failed":
      return f.backfill.error ?? "The import of past responses stopped.";
    default:
      return null;
  }
}

/** "Anon Person's response has no e-mail address…" when the server named the respondent, else its reason as is. */
export function refusalText(refusal: NonNullable<TypeformFormView["last_refusal"]>): string {
  const who = refusal.respondent;
  if (!who) return refusal.reason;
  return refusal.reason.startsWith("The response ") ? `${who}'s response ${refusal.reason.slice("The response ".length)}` : `${who}: ${refusal.reason}`;
}

/**
 * A webhook a failed switch-off left at Typeform: what happens to it, or (once Typeform delivered to it and was
 * refused here) that it has happened. Typeform disables a webhook answered 404 (providers.md T13); it stays listed,
 * disabled, in the form's Connect settings until the next switch-off or a disconnect deletes it.
 */
function webhookLeftText(refusedAt: string | null): string {
  if (refusedAt) {
    return `Typeform's webhook for this form was refused here on ${formatDateTime(refusedAt)}; Typeform disables a webhook once it is refused, so no more responses come from it.`;
  }
  return "Typeform still has this form's webhook (it couldn't be removed). It stops after its next response is refused here, or remove it in the form's Connect settings at Typeform.";
}

/** A form with its e-mail question chosen has been set up (switched on before): it switches without asking again. */
const isSetUp = (f: TypeformFormView) => Boolean(f.mapping?.email);

function FormRow({ teamId, form, canManage, editing, setEditing: setRowEditing }: {
  teamId: string;
  form: TypeformFormView;
  canManage: boolean;
  /** its mapping is open (FormsPanel keeps which, to pause its refresh meanwhile) */
  editing: boolean;
  setEditing: (formId: string, on: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const switchId = useId();
  const switchRef = useRef<HTMLButtonElement>(null);
  const setEditing = (on: boolean) => setRowEditing(form.form_id, on);
  // a row that goes (the form deleted at Typeform) leaves no open mapping behind to hold the refresh
  useEffect(() => () => setRowEditing(form.form_id, false), [form.form_id, setRowEditing]);
  const save = useMutation({
    mutationFn: (body: { enabled: boolean; mapping?: FormMapping }) => typeformApi.setForm(teamId, form.form_id, body),
    onSuccess: ({ warning }, body) => {
      if (editing) closeEditor();
      toast.success(
        body.enabled
          ? `${form.title} is on: each new response becomes a lead`
          : `${form.title} is off: new responses no longer become leads`,
      );
      if (warning) toast(warning);
      return queryClient.invalidateQueries({ queryKey: formsKey(teamId) });
    },
  });
  const pending = save.isPending;
  const checked = pending && save.variables ? save.variables.enabled : form.enabled;
  const progress = backfillText(form);

  function closeEditor() {
    setEditing(false);
    // the mapping closes: keyboard focus goes back to the switch it was opened from
    switchRef.current?.focus();
  }
  function onSwitch(on: boolean) {
    // aria-disabled (not disabled) keeps the switch focusable while its request runs: clicks are ignored here
    if (!canManage || pending) return;
    if (on && !isSetUp(form)) {
      setEditing(true);
      return;
    }
    save.mutate(on ? { enabled: true, mapping: form.mapping ?? undefined } : { enabled: false });
  }

  return (
    <li className="flex flex-col gap-2 p-3">
      {/* the name wraps (it is what tells the rows apart); the notes below take the row's full width (390 px) */}
      <div className="flex items-start gap-3">
        <p className="min-w-0 flex-1 text-sm font-medium [overflow-wrap:anywhere]">
          {form.title}
        </p>
        {canManage && (
          <Button variant="ghost" size="sm" onClick={() => setEditing(!editing)} aria-expanded={editing} aria-label={`Fields of ${form.title}`}>
            Fields
          </Button>
        )}
        <div className="flex max-w-28 flex-col items-end gap-1 sm:max-w-none">
          <Switch
            ref={switchRef}
            id={switchId}
            checked={checked}
            onCheckedChange={onSwitch}
            disabled={!canManage}
            aria-disabled={pending || undefined}
            aria-busy={pending || undefined}
            aria-label={`Create leads from responses for ${form.title}`}
            className="aria-busy:cursor-wait aria-busy:opacity-60"
          />
          <label htmlFor={switchId} className="text-right text-xs text-muted-foreground">
            Create leads from responses
          </label>
        </div>
      </div>
      {form.enabled && progress && (
        <p className={form.backfill.status === "failed" ? "text-xs text-red-700" : "text-xs text-muted-foreground"}>{progress}</p>
      )}
      {!form.enabled && form.webhook_left && (
        <p className="flex items-start gap-1 text-xs text-amber-800">
          <AlertTriangle className="mt-0.5 size-3 shrink-0" aria-hidden="true" />
          <span>{webhookLeftText(form.webhook_refused_at)}</span>
        </p>
      )}
      {form.last_refusal && (
        <p className="flex items-start gap-1 text-xs text-amber-800">
          <AlertTriangle className="mt-0.5 size-3 shrink-0" aria-hidden="true" />
          <span>
            Last refused{form.last_refusal.at ? ` ${formatDateTime(form.last_refusal.at)}` : ""}: {refusalText(form.last_refusal)}
          </span>
        </p>
      )}
      {pending && (
        <p role="status" className="flex items-center gap-1 text-xs text-muted-foreground">
          <Loader2 className="size-3 animate-spin" aria-hidden="true" /> Waiting for Typeform…
        </p>
      )}
      {save.isError && (
        <p role="alert" className="text-xs text-red-700">
          {typeformErrorText(save.error)}
        </p>
      )}
      {editing && (
        <MappingEditor
          teamId={teamId}
          form={form}
          pending={pending}
          onSave={(mapping) => save.mutate({ enabled: true, mapping })}
          onCancel={closeEditor}
        />
      )}
    </li>
  );
}

const LEAD_FIELDS: { key: LeadField; label: string }[] = [
  { key: "email", label: "E-mail (required)" },
  { key: "name", label: "Name" },
  { key: "company", label: "Company" },
  { key: "notes", label: "Notes" },
];

/**
 * The questions a lead's e-mail may come from: Typeform's E-mail questions and Short text ones (many forms ask the
 * address in a short text). The server checks the answer is an address when a response comes.
 */
const isEmailChoice = (f: { type: string }) => f.type === "email" || f.type === "short_text";

export const NO_EMAIL_QUESTION =
  "This form asks no e-mail question; a lead needs one. Add one in Typeform (an E-mail or Short text question), then reopen.";

const responses = (n: number) => `${n} past response${n === 1 ? "" : "s"}`;

/**
 * What switching this form on does, said before it happens. `past`: the responses Typeform holds; `known`: those of
 * the form already here (imported or refused), which the import skips: only the others are promised, so the row's
 * "No new past responses" after it cannot contradict this.
 */
function switchOnText(past: number | null, known: number | null): string {
  const first = "Each new response becomes a lead (or is added to the lead with that e-mail).";
  if (past === null) return `${first} The form's past responses not yet here will be imported now.`;
  if (past === 0) return `${first} The form has no past responses yet.`;
  const fresh = Math.max(0, past - (known ?? 0));
  if (fresh === 0) return `${first} The form's ${responses(past)} ${past === 1 ? "is" : "are"} already here (imported or refused before): none will be imported again.`;
  if (fresh === past) return `${first} The form's ${responses(past)} will be imported now.`;
  return `${first} ${responses(fresh)} not yet here will be imported now (the other ${past - fresh} already ${past - fresh === 1 ? "is" : "are"}).`;
}

function MappingEditor({ teamId, form, pending, onSave, onCancel }: {
  teamId: string;
  form: TypeformFormView;
  pending: boolean;
  onSave: (m: FormMapping) => void;
  onCancel: () => void;
}) {
  const detail = useQuery({ queryKey: ["typeform-form", teamId, form.form_id], queryFn: () => typeformApi.getForm(teamId, form.form_id) });
  const [draft, setDraft] = useState<FormMapping | null>(null);
  const idBase = useId();
  const firstField = useRef<HTMLSelectElement>(null);
  const loaded = detail.isSuccess;
  // the mapping opens: keyboard focus goes to its first field (once its questions are there)
  useEffect(() => {
    if (loaded) firstField.current?.focus();
  }, [loaded]);
  if (detail.isPending) return <p className="text-xs text-muted-foreground">Loading the form's questions…</p>;
  if (detail.isError) return <p role="alert" className="text-xs text-red-700">Couldn't load the form: {typeformErrorText(detail.error)}</p>;
  const mapping = draft ?? detail.data.mapping ?? detail.data.suggested;
  const emailChoices = detail.data.fields.filter(isEmailChoice);
  // why "Switch on" is greyed: the form asks nothing a lead's e-mail can come from, or none is chosen yet
  const blocked = mapping.email
    ? null
    : emailChoices.length === 0
      ? NO_EMAIL_QUESTION
      : "Choose the question that asks for the e-mail address: a lead needs one.";
  const blockedId = `${idBase}-blocked`;
  return (
    <form
      aria-label={`Fields of ${form.title}`}
      className="grid gap-2 rounded-md bg-muted/40 p-3 sm:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (!pending) onSave(mapping);
      }}
    >
      {/* no import is promised for a form that cannot be switched on */}
      {!form.enabled && emailChoices.length > 0 && (
        <p className="text-xs sm:col-span-2">{switchOnText(detail.data.past_responses, detail.data.known_responses)}</p>
      )}
      {LEAD_FIELDS.map(({ key, label }, i) => (
        <div key={key} className="flex flex-col gap-1">
          <label htmlFor={`${idBase}-${key}`} className="text-xs font-medium">
            {label}
          </label>
          <NativeSelect
            ref={i === 0 ? firstField : undefined}
            id={`${idBase}-${key}`}
            value={mapping[key] ?? ""}
            onChange={(e) => setDraft({ ...mapping, [key]: e.target.value || undefined })}
            required={key === "email"}
          >
            <option value="">{key === "email" ? "Choose a question" : "Not used"}</option>
            {(key === "email" ? emailChoices : detail.data.fields)
              .map((f) => (
                <option key={f.id} value={f.id}>
                  {f.title}
                </option>
              ))}
          </NativeSelect>
        </div>
      ))}
      <div className="flex gap-2 sm:col-span-2">
        <Button
          type="submit"
          size="sm"
          aria-disabled={pending || !mapping.email || undefined}
          disabled={!mapping.email}
          aria-describedby={blocked ? blockedId : undefined}
        >
          {pending && <Loader2 className="animate-spin" aria-hidden="true" />}
          {form.enabled ? "Save fields" : "Switch on"}
        </Button>
        <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      {blocked && (
        <p id={blockedId} className="text-xs text-amber-800 sm:col-span-2">
          {blocked}
        </p>
      )}
    </form>
  );
}
