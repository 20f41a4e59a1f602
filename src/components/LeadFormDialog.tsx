import { toast } from "@/lib/toast";
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { AlertCircle, Loader2, Plus, X } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
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
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { STAGE_LABELS, isLeadStage } from "@/components/LeadStageBadge";
import { useMembers } from "@/hooks/useMembers";
import { useSession } from "@/hooks/useSession";
import { useCreateLead } from "@/hooks/useLeads";
import { useUpdateLead } from "@/hooks/useLead";
import { ApiError } from "@/lib/apiError";
import { errorMessage } from "@/lib/errorMessages";
import { canonicalEmail, isEmailAddress } from "@/lib/email";
import { LEAD_STAGES, type Lead, type LeadInput, type LeadPatch, type LeadStage } from "@/lib/types";

/** POST leads' `notes` (the first note): at most 10,000 characters (api/routes/leads.ts createSchema). */
export const FIRST_NOTE_MAX = 10_000;

export const EMAIL_TAKEN_MESSAGE = "This e-mail already belongs to another lead.";

interface FormValues {
  name: string;
  company: string;
  stage: LeadStage;
  emails: string[];
  owner_id: string;
  notes: string;
}

export interface LeadFormErrors {
  name?: string;
  company?: string;
  notes?: string;
  emails: (string | undefined)[];
  emailsGeneral?: string;
}

/** The form's starting values: the lead's, or for a new lead blank ones owned by `creatorId` (who may change it). */
function initialValues(lead?: Lead, creatorId?: string): FormValues {
  return {
    name: lead?.name ?? "",
    company: lead?.company ?? "",
    stage: isLeadStage(lead?.stage) ? lead.stage : "new",
    emails: lead?.emails.length ? [...lead.emails] : [""],
    owner_id: lead ? (lead.owner_id ?? "") : (creatorId ?? ""),
    // editing never shows notes (they are the lead's timeline); a new lead may start with one
    notes: "",
  };
}

/** Client-side checks, mirroring the database's constraints. */
export function validateLead(v: FormValues): LeadFormErrors {
  const errors: LeadFormErrors = { emails: v.emails.map(() => undefined) };
  const name = v.name.trim();
  if (!name) errors.name = "Name is required.";
  else if (name.length > 200) errors.name = "Keep the name under 200 characters.";
  if (v.company.trim().length > 200) errors.company = "Keep the company under 200 characters.";
  if (v.notes.trim().length > FIRST_NOTE_MAX) errors.notes = "A first note is limited to 10,000 characters.";
  const seen = new Set<string>();
  v.emails.forEach((raw, i) => {
    const e = raw.trim();
    if (!e) return;
    if (!isEmailAddress(e)) errors.emails[i] = "Enter a valid e-mail address.";
    else if (seen.has(canonicalEmail(e))) errors.emails[i] = "This e-mail is listed twice.";
    seen.add(canonicalEmail(e));
  });
  return errors;
}

/** Whether the form differs from what it opened with (values compared after trimming, blank e-mail rows ignored). */
export function isDirty(initial: FormValues, current: FormValues): boolean {
  const norm = (v: FormValues) =>
    JSON.stringify({
      ...v,
      name: v.name.trim(),
      company: v.company.trim(),
      notes: v.notes.trim(),
      emails: v.emails.map((e) => e.trim()).filter(Boolean),
    });
  return norm(initial) !== norm(current);
}

function hasErrors(e: LeadFormErrors): boolean {
  return !!(e.name || e.company || e.notes || e.emailsGeneral || e.emails.some(Boolean));
}

/** Put a 409 email_taken on the e-mail field it is about (the one the message names, or the only one). */
export function emailTakenErrors(emails: string[], err: ApiError): LeadFormErrors {
  const errors: LeadFormErrors = { emails: emails.map(() => undefined) };
  const message = err.message?.trim() || EMAIL_TAKEN_MESSAGE;
  const text = canonicalEmail(message);
  const filled = emails.map((e, i) => ({ e: canonicalEmail(e), i })).filter((x) => x.e);
  const named = filled.filter((x) => text.includes(x.e));
  const targets = named.length > 0 ? named : filled.length === 1 ? filled : [];
  if (targets.length === 0) errors.emailsGeneral = message;
  for (const t of targets) errors.emails[t.i] = message;
  return errors;
}

export interface LeadFormDialogProps {
  teamId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Edit this lead (PATCH); without it the dialog creates one (POST). */
  lead?: Lead;
  onSaved?: (lead: Lead) => void;
}

/**
 * The lead form in a dialog. Closing it by Esc, a click outside, the X or Cancel while fields are changed asks
 * "Discard changes?" first; a successful save closes it at once.
 */
export function LeadFormDialog(props: LeadFormDialogProps) {
  const { open, onOpenChange, lead } = props;
  const dirty = useRef(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const requestClose = () => {
    if (dirty.current) setConfirmDiscard(true);
    else onOpenChange(false);
  };
  const discard = () => {
    setConfirmDiscard(false);
    dirty.current = false;
    onOpenChange(false);
  };
  return (
    <Dialog open={open} onOpenChange={(next) => (next ? onOpenChange(true) : requestClose())}>
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>{lead ? "Edit lead" : "New lead"}</DialogTitle>
          <DialogDescription>
            {lead
              ? "Changes are visible to everyone on the team."
              : "Meetings with any of the lead's e-mail addresses are linked to it automatically."}
          </DialogDescription>
        </DialogHeader>
        {/* Mounted only while open, so every opening starts from the lead's current values. */}
        {open && (
          <LeadForm
            {...props}
            onCancel={requestClose}
            onDirtyChange={(d) => {
              dirty.current = d;
            }}
          />
        )}
      </DialogContent>
      <AlertDialog open={confirmDiscard} onOpenChange={setConfirmDiscard}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Discard changes?</AlertDialogTitle>
            <AlertDialogDescription>
              {lead ? `Your changes to ${lead.name} are not saved yet.` : "The new lead is not created yet."} Discarding
              loses what you entered.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Keep editing</AlertDialogCancel>
            <AlertDialogAction className="bg-destructive text-white hover:bg-destructive/90" onClick={discard}>
              Discard
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </Dialog>
  );
}

function LeadForm({
  teamId,
  onOpenChange,
  lead,
  onSaved,
  onCancel,
  onDirtyChange,
}: LeadFormDialogProps & { onCancel: () => void; onDirtyChange: (dirty: boolean) => void }) {
  const members = useMembers(teamId);
  const create = useCreateLead(teamId);
  const update = useUpdateLead(teamId, lead?.id ?? "");
  const mutation = lead ? update : create;

  const { session } = useSession();
  // a new lead belongs to whoever creates it unless they pick someone else (or Unassigned)
  const [initial] = useState<FormValues>(() => initialValues(lead, session?.user?.id));
  const [values, setValues] = useState<FormValues>(initial);
  const dirty = isDirty(initial, values);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  const [errors, setErrors] = useState<LeadFormErrors>({ emails: [] });
  const [serverError, setServerError] = useState<string | null>(null);

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (key !== "emails") setErrors((e) => ({ ...e, [key]: undefined }));
  };
  const setEmail = (i: number, value: string) => {
    setValues((v) => ({ ...v, emails: v.emails.map((e, j) => (j === i ? value : e)) }));
    setErrors((e) => ({ ...e, emailsGeneral: undefined, emails: e.emails.map((x, j) => (j === i ? undefined : x)) }));
  };
  const addEmail = () => setValues((v) => ({ ...v, emails: [...v.emails, ""] }));
  const removeEmail = (i: number) => {
    setValues((v) => ({ ...v, emails: v.emails.length > 1 ? v.emails.filter((_, j) => j !== i) : [""] }));
    setErrors((e) => ({ ...e, emailsGeneral: undefined, emails: e.emails.filter((_, j) => j !== i) }));
  };

  const onSubmit = async (ev: FormEvent) => {
    ev.preventDefault();
    setServerError(null);
    const found = validateLead(values);
    setErrors(found);
    if (hasErrors(found)) {
      const first = document.querySelector<HTMLElement>("[data-lead-form] [aria-invalid='true']");
      first?.focus();
      return;
    }
    const emails = values.emails.map((e) => e.trim()).filter(Boolean);
    const name = values.name.trim();
    const company = values.company.trim();
    const notes = values.notes.trim();
    // PATCH never carries notes (the API refuses them: notes are timeline entries); POST may, as the first note
    const patch: LeadPatch = { name, company: company || null, stage: values.stage, owner_id: values.owner_id || null, emails };
    const input: LeadInput = {
      name,
      ...(company ? { company } : {}),
      stage: values.stage,
      ...(values.owner_id ? { owner_id: values.owner_id } : {}),
      ...(notes ? { notes } : {}),
      emails,
    };
    try {
      const saved = lead ? await update.mutateAsync(patch) : await create.mutateAsync(input);
      onOpenChange(false);
      toast.success(lead ? `Saved ${saved.name}` : `Lead ${saved.name} created`);
      onSaved?.(saved);
    } catch (err) {
      if (err instanceof ApiError && err.code === "email_taken") {
        setErrors(emailTakenErrors(values.emails, err));
      } else {
        setServerError(errorMessage(err));
      }
    }
  };

  const pending = mutation.isPending;

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" data-lead-form>
      {serverError && (
        <Alert variant="destructive">
          <AlertCircle />
          <AlertTitle>{lead ? "Couldn't save the lead" : "Couldn't create the lead"}</AlertTitle>
          <AlertDescription>
            <p>{serverError}</p>
          </AlertDescription>
        </Alert>
      )}

      <Field id="lead-name" label="Name" error={errors.name} required>
        <Input
          id="lead-name"
          value={values.name}
          onChange={(e) => set("name", e.target.value)}
          placeholder="Grace Hopper"
          autoFocus
          aria-invalid={!!errors.name}
          aria-describedby={errors.name ? "lead-name-error" : undefined}
          aria-required="true"
        />
      </Field>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field id="lead-company" label="Company" error={errors.company}>
          <Input
            id="lead-company"
            value={values.company}
            onChange={(e) => set("company", e.target.value)}
            placeholder="Acme Inc."
            aria-invalid={!!errors.company}
            aria-describedby={errors.company ? "lead-company-error" : undefined}
          />
        </Field>
        <Field id="lead-stage" label="Stage">
          <NativeSelect id="lead-stage" value={values.stage} onChange={(e) => set("stage", e.target.value as LeadStage)}>
            {LEAD_STAGES.map((s) => (
              <option key={s} value={s}>
                {STAGE_LABELS[s]}
              </option>
            ))}
          </NativeSelect>
        </Field>
      </div>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-sm font-medium">E-mails</legend>
        {values.emails.map((email, i) => {
          const err = errors.emails[i];
          const errId = `lead-email-${i}-error`;
          return (
            <div key={i} className="flex flex-col gap-1">
              <div className="flex items-center gap-2">
                <Input
                  type="email"
                  inputMode="email"
                  autoComplete="off"
                  value={email}
                  onChange={(e) => setEmail(i, e.target.value)}
                  placeholder="name@company.com"
                  aria-label={`E-mail ${i + 1}`}
                  aria-invalid={!!err}
                  aria-describedby={err ? errId : undefined}
                />
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  className="size-9 shrink-0 text-muted-foreground"
                  aria-label={`Remove e-mail ${i + 1}`}
                  onClick={() => removeEmail(i)}
                  disabled={values.emails.length === 1 && !email}
                >
                  <X aria-hidden="true" />
                </Button>
              </div>
              {err && (
                <p id={errId} className="text-xs text-red-700">
                  {err}
                </p>
              )}
            </div>
          );
        })}
        {errors.emailsGeneral && (
          <p role="alert" className="text-xs text-red-700">
            {errors.emailsGeneral}
          </p>
        )}
        <Button type="button" variant="ghost" size="sm" className="self-start" onClick={addEmail}>
          <Plus aria-hidden="true" />
          Add e-mail
        </Button>
      </fieldset>

      <Field id="lead-owner" label="Owner">
        <NativeSelect
          id="lead-owner"
          value={values.owner_id}
          onChange={(e) => set("owner_id", e.target.value)}
          disabled={members.isPending}
        >
          <option value="">Unassigned</option>
          {(members.data ?? []).map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.full_name ? `${m.full_name} (${m.email})` : m.email}
            </option>
          ))}
          {/* Keep a current owner who is no longer listed selectable. */}
          {values.owner_id && members.data && !members.data.some((m) => m.user_id === values.owner_id) && (
            <option value={values.owner_id}>{lead ? (lead.owner_email ?? "Current owner") : "You"}</option>
          )}
        </NativeSelect>
        {members.isError && <p className="text-xs text-muted-foreground">Couldn't load the team's members.</p>}
      </Field>

      {/* Notes live on the lead's timeline ("Add note"); creating a lead may start it with a first note. */}
      {!lead && (
        <Field id="lead-notes" label="First note (optional)" error={errors.notes}>
          <Textarea
            id="lead-notes"
            value={values.notes}
            onChange={(e) => set("notes", e.target.value)}
            rows={3}
            placeholder="Context, next steps… (Markdown works)"
            aria-invalid={!!errors.notes}
            aria-describedby={errors.notes ? "lead-notes-error" : undefined}
          />
        </Field>
      )}

      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending && <Loader2 className="animate-spin" aria-hidden="true" />}
          {lead ? "Save changes" : "Create lead"}
        </Button>
      </DialogFooter>
    </form>
  );
}

function Field({
  id,
  label,
  error,
  required,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  required?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-2">
      <Label htmlFor={id}>
        {label}
        {required && (
          <span className="ml-0.5 text-muted-foreground" aria-hidden="true">
            *
          </span>
        )}
      </Label>
      {children}
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
