import { useState, type FormEvent, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { ArrowRight, CalendarDays, CheckCircle2, ClipboardList, ListTodo, Loader2, Pencil, StickyNote, Trash2, Zap } from "lucide-react";
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
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Textarea } from "@/components/ui/textarea";
import { ErrorAlert } from "@/components/ErrorAlert";
import { stageLabel } from "@/components/LeadStageBadge";
import { SafeMarkdown } from "@/components/SafeMarkdown";
import { useLeadTimeline, useNoteMutations } from "@/hooks/useTimeline";
import { runStatusLabel } from "@/lib/automationText";
import { errorMessage } from "@/lib/errorMessages";
import { personName } from "@/lib/tasks";
import { teamPath } from "@/lib/teamSelection";
import { toast } from "@/lib/toast";
import { cn, formatDateTime } from "@/lib/utils";
import type { LeadNote, TimelineItem } from "@/lib/types";

export const NOTE_MAX = 20_000;

/** The path of an automation run's page (Settings -> Automations, another part of issue 11). */
export const runPath = (teamId: string, runId: string) => teamPath(teamId, `automations/runs/${encodeURIComponent(runId)}`);

/** Why a note's body cannot be saved, or null: 1-20,000 characters after trimming (the API's rule). */
export function noteProblem(body: string): string | null {
  const t = body.trim();
  if (!t) return "Write something first.";
  if (t.length > NOTE_MAX) return "Notes are limited to 20,000 characters.";
  return null;
}

type RunItem = Extract<TimelineItem, { kind: "automation_run" }>;
/** Two or more automation runs next to each other on the timeline, shown as one collapsible entry. */
export type RunGroup = { kind: "automation_runs"; id: string; at: string; runs: RunItem[] };

const failed = (run: RunItem) => run.run.status === "dead" || run.run.status === "failed";

/**
 * The timeline with each stretch of 2+ consecutive automation runs folded into one RunGroup (a busy automation would
 * otherwise bury the notes and meetings); a lone run stays as it is. Order is kept; the group's time is its newest.
 */
export function groupRuns(items: TimelineItem[]): (TimelineItem | RunGroup)[] {
  const out: (TimelineItem | RunGroup)[] = [];
  let stretch: RunItem[] = [];
  const flush = () => {
    if (stretch.length === 1) out.push(stretch[0]);
    else if (stretch.length > 1) out.push({ kind: "automation_runs", id: `runs:${stretch[0].id}`, at: stretch[0].at, runs: stretch });
    stretch = [];
  };
  for (const item of items) {
    if (item.kind === "automation_run") stretch.push(item);
    else {
      flush();
      out.push(item);
    }
  }
  flush();
  return out;
}

/**
 * A lead's timeline: "Add note" (markdown), then notes, meetings, stage changes, tasks and automation runs, newest
 * first, "Load more" for older ones. Notes render through SafeMarkdown; their author (or an admin) can edit or delete
 * them (`can_edit` from the server).
 */
export function LeadTimeline({ teamId, leadId }: { teamId: string; leadId: string }) {
  const timeline = useLeadTimeline(teamId, leadId);
  const items = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="lead-timeline-title" className="min-w-0">
      <h2 id="lead-timeline-title" className="mb-3 text-sm font-semibold">
        Timeline
      </h2>
      <AddNote teamId={teamId} leadId={leadId} />
      <div className="mt-4">
        {timeline.isError && !timeline.data ? (
          <ErrorAlert title="Couldn't load the timeline" error={timeline.error} onRetry={() => timeline.refetch()} />
        ) : timeline.isPending ? (
          <div className="flex flex-col gap-3" aria-busy="true">
            <Skeleton className="h-16 w-full" />
            <Skeleton className="h-10 w-full" />
          </div>
        ) : items.length === 0 ? (
          <p className="rounded-xl border border-dashed border-border px-6 py-8 text-center text-sm text-muted-foreground">
            Nothing here yet. Notes, meetings, stage changes and tasks show up as they happen.
          </p>
        ) : (
          <ol className="flex flex-col" aria-label="Timeline">
            {groupRuns(items).map((item) =>
              item.kind === "automation_runs" ? (
                <RunGroupEntry key={item.id} teamId={teamId} group={item} />
              ) : (
                <TimelineEntry key={item.id} teamId={teamId} leadId={leadId} item={item} />
              ),
            )}
          </ol>
        )}
        {timeline.hasNextPage && (
          <div className="mt-3 flex justify-center">
            <Button variant="outline" onClick={() => void timeline.fetchNextPage()} disabled={timeline.isFetchingNextPage}>
              {timeline.isFetchingNextPage && <Loader2 className="animate-spin" aria-hidden="true" />}
              Load more
            </Button>
          </div>
        )}
        {timeline.isFetchNextPageError && (
          <p role="alert" className="mt-2 text-center text-sm text-red-700">
            Couldn't load more of the timeline: {errorMessage(timeline.error)}
          </p>
        )}
      </div>
    </section>
  );
}

function AddNote({ teamId, leadId }: { teamId: string; leadId: string }) {
  const { add } = useNoteMutations(teamId, leadId);
  const [body, setBody] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const p = noteProblem(body);
    setProblem(p);
    if (p) return;
    try {
      await add.mutateAsync(body.trim());
      setBody("");
      toast.success("Note added");
    } catch (err) {
      setProblem(errorMessage(err));
    }
  };
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-2">
      <Label htmlFor="new-note">New note</Label>
      <Textarea
        id="new-note"
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          setProblem(null);
        }}
        rows={3}
        placeholder="What happened, what's next… (Markdown works)"
        aria-invalid={!!problem}
        aria-describedby={problem ? "new-note-error" : undefined}
      />
      {problem && (
        <p id="new-note-error" role="alert" className="text-xs text-red-700">
          {problem}
        </p>
      )}
      <Button type="submit" size="sm" className="self-end" disabled={add.isPending}>
        {add.isPending && <Loader2 className="animate-spin" aria-hidden="true" />}
        Add note
      </Button>
    </form>
  );
}

function Entry({ icon, at, children }: { icon: ReactNode; at: string; children: ReactNode }) {
  return (
    <li className="relative flex gap-3 pb-4 before:absolute before:bottom-0 before:left-[0.9375rem] before:top-8 before:w-px before:bg-border last:before:hidden">
      <span
        className="flex size-8 shrink-0 items-center justify-center rounded-full bg-muted text-muted-foreground [&_svg]:size-4"
        aria-hidden="true"
      >
        {icon}
      </span>
      <div className="min-w-0 flex-1 pt-1">
        {children}
        <time dateTime={at} className="mt-0.5 block text-xs text-muted-foreground">
          {formatDateTime(at)}
        </time>
      </div>
    </li>
  );
}

const linkClass = "font-medium underline decoration-border underline-offset-2 hover:decoration-foreground";

/** "4 automation runs · 1 failed", folded; opening it lists each run as the single entry would show it. */
function RunGroupEntry({ teamId, group }: { teamId: string; group: RunGroup }) {
  const failures = group.runs.filter(failed).length;
  return (
    <Entry icon={<Zap />} at={group.at}>
      <details className="group text-sm" data-testid="timeline-run-group">
        <summary className="cursor-pointer rounded-sm">
          {group.runs.length} automation runs
          {failures > 0 && <span className="text-red-700"> · {failures} failed</span>}
        </summary>
        <ul className="mt-1 flex flex-col gap-1 border-l border-border pl-3">
          {group.runs.map((item) => (
            <li key={item.id}>
              <RunLine teamId={teamId} item={item} />
              <time dateTime={item.at} className="block text-xs text-muted-foreground">
                {formatDateTime(item.at)}
              </time>
            </li>
          ))}
        </ul>
      </details>
    </Entry>
  );
}

/** One automation run: the rule (a link to the run), its status, and why it failed. */
function RunLine({ teamId, item }: { teamId: string; item: RunItem }) {
  return (
    <>
      <p className="text-sm">
        Automation{" "}
        <Link to={runPath(teamId, item.run.id)} className={linkClass}>
          {item.run.rule_name}
        </Link>{" "}
        <span className={cn(failed(item) ? "text-red-700" : "text-muted-foreground")}>{runStatusLabel(item.run.status).toLowerCase()}</span>
      </p>
      {item.run.error_message && <p className="mt-0.5 text-xs text-red-700">{item.run.error_message}</p>}
    </>
  );
}

function TimelineEntry({ teamId, leadId, item }: { teamId: string; leadId: string; item: TimelineItem }) {
  switch (item.kind) {
    case "note":
      return <NoteEntry teamId={teamId} leadId={leadId} at={item.at} note={item.note} />;
    case "meeting":
      return (
        <Entry icon={<CalendarDays />} at={item.at}>
          <p className="text-sm">
            Meeting{" "}
            <Link to={teamPath(teamId, `meetings/${encodeURIComponent(item.meeting.id)}`)} className={linkClass}>
              {item.meeting.title}
            </Link>
          </p>
        </Entry>
      );
    case "stage_change":
      return (
        <Entry icon={<ArrowRight />} at={item.at}>
          <p className="text-sm">
            Stage {item.from ? <>changed from <strong>{stageLabel(item.from)}</strong> to </> : <>set to </>}
            <strong>{stageLabel(item.to)}</strong>
            {item.automation_run_id ? (
              <>
                {" "}
                by{" "}
                <Link to={runPath(teamId, item.automation_run_id)} className={linkClass}>
                  an automation
                </Link>
              </>
            ) : item.by ? (
              <> by {personName(item.by)}</>
            ) : null}
          </p>
        </Entry>
      );
    case "task":
      return (
        <Entry icon={item.task.done ? <CheckCircle2 /> : <ListTodo />} at={item.at}>
          <p className="text-sm">
            Task{" "}
            <Link to={`${teamPath(teamId, "tasks")}?whose=all${item.task.done ? "&status=done" : ""}`} className={cn(linkClass, item.task.done && "line-through")}>
              {item.task.title}
            </Link>
            {item.task.done && " (done)"}
            {item.task.assignee && <span className="text-muted-foreground"> · {personName(item.task.assignee)}</span>}
          </p>
        </Entry>
      );
    case "automation_run":
      return (
        <Entry icon={<Zap />} at={item.at}>
          <RunLine teamId={teamId} item={item} />
        </Entry>
      );
    case "form_response":
      return (
        <Entry icon={<ClipboardList />} at={item.at}>
          <p className="text-sm">
            Answered <strong>{item.response.form_title}</strong>
          </p>
          {item.response.answers.length > 0 && (
            <dl className="mt-1 grid gap-x-3 gap-y-0.5 text-xs sm:grid-cols-[minmax(0,12rem)_1fr]">
              {item.response.answers.map((a, i) => (
                <div key={i} className="contents">
                  <dt className="text-muted-foreground">{a.title}</dt>
                  <dd className="whitespace-pre-wrap break-words">{a.value}</dd>
                </div>
              ))}
            </dl>
          )}
        </Entry>
      );
  }
}

function NoteEntry({ teamId, leadId, at, note }: { teamId: string; leadId: string; at: string; note: LeadNote }) {
  const { edit, remove } = useNoteMutations(teamId, leadId);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(note.body);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const author =
    note.source === "automation" ? "Automation" : note.source === "migrated" && !note.author ? "Earlier notes" : personName(note.author);
  const editId = `note-edit-${note.id}`;

  const save = async (ev: FormEvent) => {
    ev.preventDefault();
    const p = noteProblem(draft);
    setProblem(p);
    if (p) return;
    try {
      await edit.mutateAsync({ noteId: note.id, body: draft.trim() });
      setEditing(false);
      toast.success("Note saved");
    } catch (err) {
      setProblem(errorMessage(err));
    }
  };

  return (
    <li className="relative flex gap-3 pb-4 before:absolute before:bottom-0 before:left-[0.9375rem] before:top-8 before:w-px before:bg-border last:before:hidden" data-testid="timeline-note">
      {note.author ? (
        <Avatar name={note.author.name} email={note.author.email} className="size-8 shrink-0 ring-0" />
      ) : (
        <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-muted text-muted-foreground" aria-hidden="true">
          <StickyNote className="size-4" />
        </span>
      )}
      <div className="min-w-0 flex-1 rounded-lg border border-border p-3">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <span className="text-sm font-medium">{author}</span>
          {note.automation_run_id && (
            <Link to={runPath(teamId, note.automation_run_id)} className="text-xs text-muted-foreground underline underline-offset-2">
              run
            </Link>
          )}
          <time dateTime={at} className="text-xs text-muted-foreground">
            {formatDateTime(at)}
            {note.updated_at !== note.created_at && " (edited)"}
          </time>
          {note.can_edit && !editing && (
            <span className="ml-auto flex gap-1">
              <Button
                variant="ghost"
                size="icon"
                className="size-7 text-muted-foreground"
                aria-label="Edit note"
                onClick={() => {
                  setDraft(note.body);
                  setProblem(null);
                  setEditing(true);
                }}
              >
                <Pencil aria-hidden="true" />
              </Button>
              <Button
                variant="ghost"
                size="icon"
                className="size-7 text-muted-foreground hover:text-red-700"
                aria-label="Delete note"
                onClick={() => setConfirmOpen(true)}
                disabled={remove.isPending}
              >
                <Trash2 aria-hidden="true" />
              </Button>
            </span>
          )}
        </div>
        {editing ? (
          <form onSubmit={save} noValidate className="mt-2 flex flex-col gap-2">
            <Label htmlFor={editId} className="sr-only">
              Note
            </Label>
            <Textarea
              id={editId}
              value={draft}
              onChange={(e) => {
                setDraft(e.target.value);
                setProblem(null);
              }}
              rows={4}
              autoFocus
              aria-invalid={!!problem}
              aria-describedby={problem ? `${editId}-error` : undefined}
              onKeyDown={(e) => {
                if (e.key === "Escape") setEditing(false);
              }}
            />
            {problem && (
              <p id={`${editId}-error`} role="alert" className="text-xs text-red-700">
                {problem}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <Button type="button" size="sm" variant="outline" onClick={() => setEditing(false)}>
                Cancel
              </Button>
              <Button type="submit" size="sm" disabled={edit.isPending}>
                {edit.isPending && <Loader2 className="animate-spin" aria-hidden="true" />}
                Save note
              </Button>
            </div>
          </form>
        ) : (
          <SafeMarkdown className="mt-1 [overflow-wrap:anywhere]">{note.body}</SafeMarkdown>
        )}
      </div>
      <AlertDialog open={confirmOpen} onOpenChange={setConfirmOpen}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete this note?</AlertDialogTitle>
            <AlertDialogDescription>It is removed from the lead's timeline for everyone. This cannot be undone.</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              className="bg-destructive text-white hover:bg-destructive/90"
              onClick={() =>
                remove.mutate(note.id, {
                  onSuccess: () => toast.success("Note deleted"),
                  onError: (err) => toast.error(`Couldn't delete the note: ${errorMessage(err)}`),
                })
              }
            >
              Delete note
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </li>
  );
}
