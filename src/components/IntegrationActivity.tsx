import { useState, type ReactNode } from "react";
import { Link, useInRouterContext } from "react-router-dom";
import { Clock, History, Inbox, Loader2, MessageSquareText, RotateCcw, TriangleAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorAlert } from "@/components/ErrorAlert";
import { SyncStatusBadge } from "@/components/FathomSyncPanel";
import { RETRY_TEXT, useIntegrationActivity, useRetryIntegrationItem } from "@/hooks/useIntegrationActivity";
import type {
  ChatMessageEntry,
  DeliveryEntry,
  FailedItem,
  FormImport,
  ImportRun,
  IntegrationActivity as Activity,
  WaitingItem,
} from "@/lib/activitySchema";
import { ApiError } from "@/lib/apiError";
import { errorMessage } from "@/lib/errorMessages";
import { providerEntry } from "@/lib/providerCopy";
import type { ProviderId } from "@/lib/providers";
import { isTeamAdmin, type TeamRole } from "@/lib/types";
import { formatDateTime, formatTime } from "@/lib/utils";

/** Providers whose failed deliveries the server retries through their own import (api/routes/activity.ts). */
const DELIVERY_RETRY: ReadonlySet<ProviderId> = new Set(["fathom", "zoom", "typeform"]);

/** What a provider's deliveries carry, for sentences ("1 recording waiting for Zoom"). */
function deliveryNouns(provider: ProviderId): { one: string; many: string } {
  if (provider === "typeform") return { one: "response", many: "responses" };
  const items = providerEntry(provider).meetings?.items ?? "deliveries";
  return { one: items.replace(/s$/, ""), many: items };
}

export interface IntegrationActivityProps {
  provider: ProviderId;
  teamId: string;
  role: TeamRole;
  /** the provider's name, for sentences */
  name: string;
}

/**
 * The "Activity" section of an integration's dialog: what needs attention (deliveries waiting to be tried again, named
 * and with their next try; failed meetings and deliveries, with Retry for admins), the import history (Typeform: each
 * form's past-responses import) and the deliveries received, or the posts a chat provider keeps.
 * Re-read every few seconds while the tab is visible (useIntegrationActivity). Shows no secret: the server sends
 * none (no route id, no provider message id, no token).
 */
export function IntegrationActivity({ provider, teamId, role, name }: IntegrationActivityProps) {
  const activity = useIntegrationActivity(teamId, provider);
  const titleId = `${provider}-activity-title`;
  return (
    <section aria-labelledby={titleId} className="flex min-w-0 flex-col gap-3 border-t border-border pt-4" data-testid="activity">
      <h3 id={titleId} className="text-sm font-semibold">
        Activity
      </h3>
      {activity.isPending ? (
        <div className="flex flex-col gap-2" aria-busy="true">
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-4 w-1/2" />
        </div>
      ) : activity.isError ? (
        <ErrorAlert
          title="Couldn't load the activity"
          message={errorMessage(activity.error)}
          onRetry={() => activity.refetch()}
        />
      ) : (
        <ActivityLists activity={activity.data} provider={provider} teamId={teamId} canRetry={isTeamAdmin(role)} name={name} />
      )}
    </section>
  );
}

function ActivityLists({
  activity,
  provider,
  teamId,
  canRetry,
  name,
}: {
  activity: Activity;
  provider: ProviderId;
  teamId: string;
  canRetry: boolean;
  name: string;
}) {
  if (activity.messages !== null) {
    return (
      <Group icon={<MessageSquareText />} title="Messages posted" count={activity.messages.length} open>
        <p className="text-xs text-muted-foreground">
          The CRM keeps a record of test messages and of a channel that went away; other posts are not recorded yet.
        </p>
        <EntryList empty={`No messages posted to ${name} yet.`} items={activity.messages} render={(m, i) => <MessageRow key={i} message={m} />} />
      </Group>
    );
  }
  const copy = providerEntry(provider).meetings;
  const typeform = activity.form_imports !== null;
  // a provider that records no activity of this kind has no section, not an empty one
  if (!copy && !typeform) return <p className="text-sm text-muted-foreground">No activity recorded for {name}.</p>;
  const nouns = deliveryNouns(provider);
  const attention = activity.failed.length + activity.waiting.length;
  // a delivery whose body is no longer kept cannot be imported again: its reason says so, and no Retry is offered
  const retryable = (item: FailedItem) =>
    item.kind === "delivery" ? DELIVERY_RETRY.has(provider) && item.retryable : !!copy?.retry;
  const anyRetryable = activity.failed.some(retryable);
  return (
    <>
      <Group icon={<TriangleAlert />} title="Needs attention" count={attention} open={attention > 0}>
        {activity.waiting.length > 0 && (
          <WaitingList items={activity.waiting} teamId={teamId} name={name} nouns={nouns} />
        )}
        {anyRetryable && !canRetry && (
          <p className="text-xs text-muted-foreground">Only team owners and admins can retry.</p>
        )}
        {(activity.failed.length > 0 || activity.waiting.length === 0) && (
          <EntryList
            empty={`Nothing failed to import.`}
            items={activity.failed}
            render={(f) => (
              <FailedRow
                key={`${f.kind}-${f.id}`}
                item={f}
                provider={provider}
                teamId={teamId}
                canRetry={retryable(f) && canRetry}
                contentMissing={copy?.contentMissing ?? "Not imported"}
                unknown={`Unknown ${nouns.one}`}
              />
            )}
          />
        )}
      </Group>
      {typeform ? (
        <Group icon={<History />} title="Past responses imports" count={activity.form_imports!.length}>
          <EntryList
            empty="No form's past responses have been imported yet."
            items={activity.form_imports!}
            render={(f, i) => <FormImportRow key={`${f.form_title}-${i}`} item={f} />}
          />
        </Group>
      ) : (
        <Group icon={<History />} title="Import history" count={activity.runs.length}>
          <EntryList empty="No import has run yet." items={activity.runs} render={(r) => <RunRow key={r.id} run={r} />} />
        </Group>
      )}
      <Group icon={<Inbox />} title={typeform ? "Responses received" : "Deliveries received"} count={activity.deliveries.length}>
        <EntryList
          empty={`No ${copy?.items ?? nouns.many} delivered by ${name} yet.`}
          items={activity.deliveries}
          render={(d, i) => <DeliveryRow key={`${d.id}-${d.result}-${i}`} delivery={d} teamId={teamId} unknown={`Unknown ${nouns.one}`} />}
        />
      </Group>
    </>
  );
}

/** A time of today as "1:01 AM", of another day with its date. */
function atTime(iso: string): string {
  return new Date(iso).toDateString() === new Date().toDateString() ? formatTime(iso) : formatDateTime(iso);
}

/**
 * Deliveries held back after a failed attempt: a sentence saying how many wait for the provider (seen without opening
 * any list), then each with its name, why and when it is tried again. They need nothing unless they keep failing.
 */
function WaitingList({
  items,
  teamId,
  name,
  nouns,
}: {
  items: WaitingItem[];
  teamId: string;
  name: string;
  nouns: { one: string; many: string };
}) {
  // the next to be tried comes first (the server's order); its reason stands for the list, its time for the next try
  const first = items[0];
  const why = first.reason?.replace(/[;.].*$/, "") ?? null;
  const summary = `${items.length} ${items.length === 1 ? nouns.one : nouns.many} waiting for ${name}` +
    (why ? `: ${why}.` : ".") + (first.retry_at ? ` Tries again at ${atTime(first.retry_at)}.` : "");
  // one item: the summary says it all; several: each says its own reason and time
  const detailed = items.length > 1;
  return (
    <div className="flex min-w-0 flex-col gap-1" data-testid="activity-waiting">
      <p className="text-sm font-medium">{summary}</p>
      <p className="text-xs text-muted-foreground">The CRM tries again by itself; nothing is lost meanwhile.</p>
      <ul className="flex min-w-0 flex-col divide-y divide-border">
        {items.map((w) => (
          <li key={w.id} className="flex min-w-0 flex-col gap-1 py-2 text-sm" data-waiting-id={w.id}>
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <Badge variant="outline" className={DELIVERY_STYLES.waiting}>
                <Clock className="size-3" aria-hidden="true" />
                Waiting
              </Badge>
              <RecordingName
                teamId={teamId}
                meeting={w.meeting_id ? { id: w.meeting_id, title: w.title ?? `Unknown ${nouns.one}` } : null}
                title={w.title}
                recordingId={w.recording_id}
                unknown={`Unknown ${nouns.one}`}
              />
            </div>
            {detailed && w.reason && <p className="break-words text-muted-foreground">{w.reason}</p>}
            {detailed && w.retry_at && <p className="text-muted-foreground">Tries again at {atTime(w.retry_at)}.</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}

const FORM_IMPORT_LABELS: Record<FormImport["status"], string> = {
  idle: "Not started",
  running: "Importing",
  done: "Done",
  failed: "Failed",
  unknown: "Unknown",
};

function FormImportRow({ item }: { item: FormImport }) {
  const parts = [
    `${item.imported} imported`,
    item.refused > 0 ? `${item.refused} without an e-mail address (no lead made)` : null,
  ].filter(Boolean);
  return (
    <li className="flex min-w-0 flex-col gap-1 py-2 text-sm" data-form-import-status={item.status}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="font-medium break-words">{item.form_title}</span>
        <Badge variant="outline" className={item.status === "failed" ? DELIVERY_STYLES.failed : DELIVERY_STYLES.duplicate}>
          {FORM_IMPORT_LABELS[item.status]}
        </Badge>
      </div>
      <p>{parts.join(" · ")}</p>
      {item.error && <p className="break-words text-red-700">Stopped: {item.error}</p>}
    </li>
  );
}

/** A disclosure: the summary names the list and how many entries it has. */
function Group({
  icon,
  title,
  count,
  open = false,
  children,
}: {
  icon: ReactNode;
  title: string;
  count: number;
  open?: boolean;
  children: ReactNode;
}) {
  return (
    <details className="group min-w-0 rounded-lg border border-border" open={open} data-group={title}>
      <summary className="flex cursor-pointer items-center gap-2 px-3 py-2 text-sm font-medium [&_svg]:size-4 [&_svg]:shrink-0 [&_svg]:text-muted-foreground">
        {icon}
        <span className="min-w-0 flex-1">{title}</span>
        <span className="text-xs font-normal text-muted-foreground">{count}</span>
      </summary>
      <div className="flex min-w-0 flex-col gap-2 border-t border-border px-3 py-2">{children}</div>
    </details>
  );
}

function EntryList<T>({ items, empty, render }: { items: T[]; empty: string; render: (item: T, i: number) => ReactNode }) {
  if (items.length === 0) return <p className="text-sm text-muted-foreground">{empty}</p>;
  return <ul className="flex min-w-0 flex-col divide-y divide-border">{items.map(render)}</ul>;
}

/** A link to a meeting inside the app (a plain link where no router is mounted, e.g. a component test). */
function MeetingLink({ teamId, meetingId, children }: { teamId: string; meetingId: string; children: ReactNode }) {
  const inRouter = useInRouterContext();
  const to = `/teams/${teamId}/meetings/${meetingId}`;
  const className = "font-medium break-words underline underline-offset-2 hover:no-underline";
  return inRouter ? <Link to={to} className={className}>{children}</Link> : <a href={to} className={className}>{children}</a>;
}

function RunRow({ run }: { run: ImportRun }) {
  const content = run.content_total > 0 ? `content ${run.content_done} of ${run.content_total}` : null;
  const parts = [
    `${run.listed_count} listed`,
    `${run.linked_count} linked to leads`,
    content,
    run.content_failed > 0 ? `${run.content_failed} failed` : null,
  ].filter(Boolean);
  return (
    <li className="flex min-w-0 flex-col gap-1 py-2 text-sm" data-run-status={run.status}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="font-medium">{run.incremental ? "New meetings" : "Full import"}</span>
        <SyncStatusBadge status={run.status} />
        {run.earlier_connection && <span className="text-xs text-muted-foreground">Earlier connection</span>}
      </div>
      <p className="text-muted-foreground">
        Started {formatDateTime(run.started_at)}
        {run.finished_at && <> · finished {formatDateTime(run.finished_at)}</>}
      </p>
      <p>{parts.join(" · ")}</p>
      {run.error && (
        <p className="break-words text-red-700">
          {run.status === "failed" ? "Stopped: " : "Problem on the way: "}
          {run.error}
        </p>
      )}
    </li>
  );
}

const DELIVERY_LABELS: Record<DeliveryEntry["result"], string> = {
  imported: "Imported",
  waiting: "Waiting",
  failed: "Failed",
  duplicate: "Duplicate",
  refused: "No lead made",
  unknown: "Unknown",
};

const DELIVERY_STYLES: Record<DeliveryEntry["result"], string> = {
  imported: "border-emerald-200 bg-emerald-50 text-emerald-800",
  waiting: "border-sky-200 bg-sky-50 text-sky-800",
  failed: "border-red-200 bg-red-50 text-red-800",
  duplicate: "border-border bg-muted text-foreground",
  refused: "border-amber-200 bg-amber-50 text-amber-900",
  unknown: "border-border bg-muted text-foreground",
};

function DeliveryRow({ delivery, teamId, unknown }: { delivery: DeliveryEntry; teamId: string; unknown: string }) {
  return (
    <li className="flex min-w-0 flex-col gap-1 py-2 text-sm" data-delivery-result={delivery.result}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Badge variant="outline" className={DELIVERY_STYLES[delivery.result]}>
          {DELIVERY_LABELS[delivery.result]}
        </Badge>
        <span className="text-muted-foreground">{formatDateTime(delivery.received_at)}</span>
      </div>
      <RecordingName
        teamId={teamId}
        meeting={delivery.meeting}
        title={delivery.title}
        recordingId={delivery.recording_id}
        unknown={unknown}
      />
      {(delivery.lead || delivery.respondent) && (
        <p className="break-words text-muted-foreground">
          {delivery.respondent && <>From {delivery.respondent}</>}
          {delivery.respondent && delivery.lead && " · "}
          {delivery.lead && (
            <>
              Lead: <LeadLink teamId={teamId} leadId={delivery.lead.id}>{delivery.lead.name}</LeadLink>
            </>
          )}
        </p>
      )}
      {delivery.reason && <p className="break-words text-muted-foreground">{delivery.reason}</p>}
      {delivery.result === "waiting" && delivery.retry_at && (
        <p className="text-muted-foreground" data-testid="delivery-retry-at">
          Tries again at {formatDateTime(delivery.retry_at)}.
        </p>
      )}
    </li>
  );
}

/** A delivery's name: its meeting (a link), else what the event named (Zoom's topic, the form), else its number. */
function RecordingName({
  teamId,
  meeting,
  title,
  recordingId,
  unknown,
}: {
  teamId: string;
  meeting: { id: string; title: string } | null;
  title: string | null;
  recordingId: number | null;
  unknown: string;
}) {
  if (meeting) return <MeetingLink teamId={teamId} meetingId={meeting.id}>{meeting.title}</MeetingLink>;
  return <span className="font-medium break-words">{title ?? (recordingId !== null ? `Recording ${recordingId}` : unknown)}</span>;
}

/** A link to a lead inside the app (a plain link where no router is mounted). */
function LeadLink({ teamId, leadId, children }: { teamId: string; leadId: string; children: ReactNode }) {
  const inRouter = useInRouterContext();
  const to = `/teams/${teamId}/leads/${leadId}`;
  const className = "break-words underline underline-offset-2 hover:no-underline";
  return inRouter ? <Link to={to} className={className}>{children}</Link> : <a href={to} className={className}>{children}</a>;
}


function FailedRow({
  item,
  provider,
  teamId,
  canRetry,
  contentMissing,
  unknown,
}: {
  item: FailedItem;
  provider: ProviderId;
  teamId: string;
  canRetry: boolean;
  /** the line for a meeting whose content failed (the provider's entry) */
  contentMissing: string;
  /** the name of an item nothing names ("Unknown recording") */
  unknown: string;
}) {
  const retry = useRetryIntegrationItem(teamId, provider);
  const [clicked, setClicked] = useState(false);
  const what = item.kind === "meeting" ? contentMissing : "Delivery not imported";
  const title = item.title ?? (item.recording_id !== null ? `Recording ${item.recording_id}` : unknown);
  const retryAfter = retry.error instanceof ApiError ? retry.error.retryAfterSeconds : undefined;
  return (
    <li className="flex min-w-0 flex-col gap-1 py-2 text-sm" data-failed-kind={item.kind}>
      <div className="min-w-0">
        {item.meetingId ? <MeetingLink teamId={teamId} meetingId={item.meetingId}>{title}</MeetingLink> : <span className="font-medium break-words">{title}</span>}
      </div>
      <p className="text-muted-foreground">
        {what}
        {item.at && <> · {formatDateTime(item.at)}</>}
      </p>
      {item.reason && <p className="break-words text-red-700">{item.reason}</p>}
      {canRetry && (
        <div className="flex flex-wrap items-center gap-2">
          <Button
            size="sm"
            variant="outline"
            // aria-disabled, not disabled: a disabled button drops the keyboard focus to the dialog's top
            aria-disabled={retry.isPending}
            aria-label={`Retry ${title}`}
            onClick={() => {
              if (retry.isPending) return;
              setClicked(true);
              retry.mutate({ kind: item.kind, id: item.id });
            }}
          >
            {retry.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <RotateCcw aria-hidden="true" />}
            Retry
          </Button>
          {clicked && retry.isSuccess && (
            <p role="status" className="text-muted-foreground">
              {RETRY_TEXT[retry.data.result]}
              {retry.data.result === "failed" && retry.data.reason ? ` ${retry.data.reason}` : ""}
            </p>
          )}
          {retry.isError && (
            <p role="alert" className="text-red-700" data-error-code={(retry.error as { code?: string }).code}>
              {errorMessage(retry.error)}
              {retryAfter ? ` Try again in ${retryAfter} s.` : ""}
            </p>
          )}
        </div>
      )}
    </li>
  );
}

function MessageRow({ message }: { message: ChatMessageEntry }) {
  const sent = message.result === "sent";
  return (
    <li className="flex min-w-0 flex-col gap-1 py-2 text-sm" data-message-result={message.result}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Badge variant="outline" className={sent ? DELIVERY_STYLES.imported : DELIVERY_STYLES.failed}>
          {sent ? "Sent" : "Failed"}
        </Badge>
        <span className="font-medium">{message.kind === "test_message" ? "Test message" : "Channel unavailable"}</span>
        <span className="text-muted-foreground">{formatDateTime(message.at)}</span>
      </div>
      {message.reason && <p className="break-words text-muted-foreground">{message.reason}</p>}
    </li>
  );
}
