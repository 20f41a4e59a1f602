import { useEffect, useMemo, useState, type ReactNode } from "react";
import { Link, useParams } from "react-router-dom";
import {
  AlertTriangle,
  ArrowLeft,
  Check,
  Clock,
  ExternalLink,
  FileQuestion,
  FileX,
  Link2,
  ListChecks,
  Loader2,
  MessageSquareText,
  RefreshCw,
  Sparkles,
  Trash2,
  UserRound,
  Users,
} from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { canonicalEmail } from "@/lib/email";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { ActionItems } from "@/components/ActionItems";
import { attendeeLabel } from "@/components/AttendeeStack";
import { ContentDownloadNotice } from "@/components/ContentDownloadNotice";
import { ContentStatusBadge, missingContent } from "@/components/ContentStatusBadge";
import { EmptyState } from "@/components/FullPageState";
import { ErrorAlert } from "@/components/ErrorAlert";
import { MeetingLeads } from "@/components/MeetingLeads";
import { MeetingSource } from "@/components/MeetingSource";
import { SafeMarkdown } from "@/components/SafeMarkdown";
import { Transcript } from "@/components/Transcript";
import { useLeadsByEmail } from "@/hooks/useLeads";
import { useMeeting } from "@/hooks/useMeeting";
import { useMembers } from "@/hooks/useMembers";
import { useTickActionItem } from "@/hooks/useMeetingCrm";
import { errorMessage } from "@/lib/errorMessages";
import { toast } from "@/lib/toast";
import { isNotFound } from "@/lib/errorMessages";
import {
  formatDuration,
  languageTag,
  type MeetingProviderFacts,
  meetingProviderFacts,
  meetingProviderName,
  meetingStart,
  meetingTitle,
} from "@/lib/meetings";
import { teamPath } from "@/lib/teamSelection";
import { formatDate, formatDateTime, formatTime, isHttpUrl } from "@/lib/utils";
import { isTeamAdmin, type Lead, type MeetingDetail, type MeetingSummary, type Task } from "@/lib/types";
import { useCurrentTeam } from "./TeamLayout";

/** While a meeting is loading and its provider is not known yet (opened from a link, not from a list). */
export const FETCHING_CONTENT_MESSAGE = "Loading the meeting and its content…";

/** While a pending meeting of a provider that is asked on open (Fathom) loads: "Fetching … from Fathom…". */
export function fetchingContentMessage(facts: MeetingProviderFacts): string {
  const what = facts.summaries ? "transcript and summary" : "transcript";
  return `Fetching the ${what} from ${facts.name}…`;
}

export function MeetingPage() {
  const team = useCurrentTeam();
  const { meetingId = "" } = useParams();
  const meeting = useMeeting(team.id, meetingId);
  // only the leads this meeting's attendees could be (by e-mail): one bounded request, not the whole leads list
  const leads = useLeadsByEmail(team.id, meeting.data?.invitees?.map((i) => i.email) ?? []);

  const back = (
    <Link
      to={teamPath(team.id, "meetings")}
      className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
    >
      <ArrowLeft className="size-4" aria-hidden="true" />
      Meetings
    </Link>
  );

  if (meeting.isPending) {
    const cached = meeting.cached;
    const facts = meetingProviderFacts(cached?.provider);
    // the server asks the provider now only for a pending meeting of a provider it fetches on open (Fathom)
    const fetching = !cached || (cached.content_status === "pending" && facts.fetchesOnOpen && !!facts.name);
    return (
      <Page>
        {back}
        {cached ? <MeetingHeader meeting={cached} /> : <Skeleton className="mt-4 h-8 w-2/3" />}
        <div className="mt-6" role="status" aria-live="polite">
          {fetching ? (
            <Alert variant="info">
              <Loader2 className="animate-spin" />
              <AlertTitle>{cached ? fetchingContentMessage(facts) : FETCHING_CONTENT_MESSAGE}</AlertTitle>
              <AlertDescription>
                <p>The first time a meeting is opened this can take a few seconds.</p>
              </AlertDescription>
            </Alert>
          ) : (
            <p className="flex items-center gap-2 text-sm text-muted-foreground">
              <Loader2 className="size-4 animate-spin" aria-hidden="true" />
              Loading meeting…
            </p>
          )}
        </div>
        <div className="mt-6 flex flex-col gap-3" aria-hidden="true">
          <Skeleton className="h-4 w-full" />
          <Skeleton className="h-4 w-5/6" />
          <Skeleton className="h-4 w-2/3" />
        </div>
      </Page>
    );
  }

  if (meeting.isError) {
    const notFound = isNotFound(meeting.error);
    return (
      <Page>
        {back}
        <div className="mt-6">
          {notFound ? (
            <EmptyState icon={<FileQuestion className="size-5" aria-hidden="true" />} title="Meeting not found">
              <p>It may have been removed, or it belongs to another team.</p>
            </EmptyState>
          ) : (
            <ErrorAlert title="Couldn't load the meeting" error={meeting.error} onRetry={() => meeting.refetch()} />
          )}
        </div>
      </Page>
    );
  }

  const m = meeting.data;
  const facts = meetingProviderFacts(m.provider);
  // promise only what the provider writes; a section that came anyway (an unknown provider's) is shown
  const showSummary = facts.summaries || !!m.summary_markdown?.trim();
  const showActionItems = facts.actionItems || (m.action_items?.length ?? 0) > 0;
  return (
    <Page>
      {back}
      <MeetingHeader meeting={m} />
      <ContentNotice
        teamId={team.id}
        canManage={isTeamAdmin(team.role)}
        meeting={m}
        refetching={meeting.isFetching}
        onRetry={() => meeting.refetch()}
      />

      <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-[1fr_18rem]">
        <div className="flex min-w-0 flex-col gap-6">
          {showSummary && (
            <Section icon={<Sparkles />} title="Summary">
              {m.summary_markdown?.trim() ? (
                <SafeMarkdown>{m.summary_markdown}</SafeMarkdown>
              ) : (
                <p className="text-sm text-muted-foreground">{missingSummaryText(m.content_status, facts.name)}</p>
              )}
            </Section>
          )}
          {showActionItems && (
            <Section icon={<ListChecks />} title="Action items" count={m.action_items?.length}>
              <TickableActionItems teamId={team.id} meeting={m} />
            </Section>
          )}
          <Section icon={<MessageSquareText />} title="Transcript">
            {m.transcript && m.transcript.length > 0 ? (
              <Transcript items={m.transcript} meetingUrl={m.url} lang={languageTag(m.language)} />
            ) : (
              <p className="text-sm text-muted-foreground">
                {m.content_reason === "deleted_at_provider"
                  ? `Removed: the recording was deleted in ${facts.name ?? "the provider"}.`
                  : m.content_status === "unavailable" && facts.name
                  ? `No transcript from ${facts.name}.`
                  : m.content_waiting?.final
                  ? "Not downloaded: see the notice above."
                  : "No transcript."}
              </p>
            )}
          </Section>
        </div>
        <aside className="flex flex-col gap-6">
          <Attendees teamId={team.id} meeting={m} leads={leads.data} />
          <Section icon={<UserRound />} title="Leads" count={m.leads.length}>
            <MeetingLeads teamId={team.id} meetingId={m.id} leads={m.leads} />
          </Section>
          <Section title="Details">
            <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-2 text-sm">
              <dt className="text-muted-foreground">Source</dt>
              <dd className="min-w-0">
                <MeetingSource provider={m.provider} className="text-sm text-foreground" />
                <span className="block font-mono text-xs leading-5 text-muted-foreground [overflow-wrap:anywhere]">
                  #{m.provider_meeting_id}
                </span>
              </dd>
              {m.language && m.language !== "unknown" && (
                <>
                  <dt className="text-muted-foreground">Language</dt>
                  <dd className="uppercase">{m.language}</dd>
                </>
              )}
              <dt className="text-muted-foreground">Imported</dt>
              <dd>
                {formatDateTime(m.imported_at)}
                {m.source && (
                  <span className="block text-xs text-muted-foreground">
                    {m.source === "webhook" ? "via webhook" : m.source === "backfill" ? "via import" : m.source}
                  </span>
                )}
              </dd>
            </dl>
          </Section>
        </aside>
      </div>
    </Page>
  );
}

/**
 * The action items as checkboxes: ticking one creates its task (or completes the one it has) through the idempotent
 * POST tasks, unticking reopens it; a failure puts the box back and says why.
 */
function TickableActionItems({ teamId, meeting }: { teamId: string; meeting: MeetingDetail }) {
  const tick = useTickActionItem(teamId, meeting.id);
  // the full tasks POST answered this visit (the meeting's action items carry only {id, done})
  const [known, setKnown] = useState<Record<number, Task>>({});
  const [pending, setPending] = useState<ReadonlySet<number>>(new Set());
  const members = useMembers(teamId);
  const onToggle = (index: number, done: boolean) => {
    setPending((p) => new Set(p).add(index));
    const item = meeting.action_items?.find((a) => a.index === index);
    // a new task goes to the team member Fathom names as the item's assignee (by e-mail), else to nobody
    const email = item && !item.task && item.assignee?.email ? canonicalEmail(item.assignee.email) : null;
    const assigneeId = email ? members.data?.find((m) => canonicalEmail(m.email) === email)?.user_id : undefined;
    tick
      .mutateAsync({ index, done, assigneeId })
      .then((task) => {
        setKnown((k) => ({ ...k, [index]: task }));
        toast.success(done ? "Task done" : "Task reopened", { description: task.title });
      })
      .catch((err: unknown) => toast.error(`Couldn't update the task: ${errorMessage(err)}`))
      .finally(() =>
        setPending((p) => {
          const next = new Set(p);
          next.delete(index);
          return next;
        }),
      );
  };
  return (
    <ActionItems
      items={meeting.action_items ?? []}
      meetingUrl={meeting.url}
      ticking={{ teamId, onToggle, tasks: known, pending }}
    />
  );
}

/**
 * Why a meeting shows no summary, by its content_status and its provider's name ("Fathom"; null when unknown). Only
 * for a provider that writes summaries (a Zoom meeting has no Summary section).
 */
export function missingSummaryText(contentStatus: string, providerName: string | null = null): string {
  if (contentStatus === "pending") {
    return providerName ? `The summary is being fetched from ${providerName}.` : "The summary isn't here yet.";
  }
  if (contentStatus === "failed" || contentStatus === "unavailable") return "No summary.";
  // Fathom can report a meeting done before its summary is written
  return "Summary not available yet.";
}

function Page({ children }: { children: ReactNode }) {
  return <div className="mx-auto w-full max-w-6xl px-4 py-8 md:px-8">{children}</div>;
}

function Section({
  icon,
  title,
  count,
  children,
}: {
  icon?: ReactNode;
  title: string;
  count?: number;
  children: ReactNode;
}) {
  const id = `meeting-section-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section aria-labelledby={id}>
      <Card>
        <CardHeader className="pb-3">
          <CardTitle className="flex items-center gap-2 [&_svg]:size-4 [&_svg]:text-muted-foreground">
            {icon && <span aria-hidden="true">{icon}</span>}
            <span id={id}>{title}</span>
            {count !== undefined && count > 0 && <span className="font-normal text-muted-foreground">{count}</span>}
          </CardTitle>
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
    </section>
  );
}

function MeetingHeader({ meeting }: { meeting: MeetingSummary & Pick<MeetingDetail, "content_waiting"> }) {
  const start = meetingStart(meeting);
  const end = meeting.recording_end_time;
  const duration = formatDuration(meeting.recording_start_time, meeting.recording_end_time);
  const title = meetingTitle(meeting);
  const recorder = meeting.recorded_by;
  return (
    // Stacked on a phone, side by side from sm: in one wrapping row the title's box could shrink to nothing and its
    // text ran under the actions.
    <header className="mt-4 flex flex-col gap-4 border-b border-border pb-6 sm:flex-row sm:items-start sm:justify-between">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="min-w-0 text-2xl font-semibold tracking-tight [overflow-wrap:anywhere]">{title}</h1>
          <ContentStatusBadge
            status={meeting.content_status}
            missing={missingContent(meeting)}
            reason={meeting.content_reason}
            provider={meeting.provider}
            notDownloaded={!!meeting.content_waiting?.final}
          />
        </div>
        {meeting.meeting_title && meeting.meeting_title !== title && (
          <p className="mt-0.5 text-sm text-muted-foreground">Calendar event: {meeting.meeting_title}</p>
        )}
        <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-muted-foreground">
          <span className="flex items-center gap-1.5">
            <Clock className="size-4" aria-hidden="true" />
            <time dateTime={start ?? undefined}>
              {formatDate(start)}, {formatTime(start)}
              {end && ` – ${formatTime(end)}`}
            </time>
            {duration && <span>({duration})</span>}
          </span>
          <MeetingSource provider={meeting.provider} className="gap-1.5 text-sm [&>svg]:size-4" />
          {recorder && (recorder.name || recorder.email) && (
            <span className="flex items-center gap-1.5">
              <Avatar name={recorder.name} email={recorder.email} size="sm" className="ring-0" />
              <span>
                Recorded by <span className="font-medium text-foreground">{recorder.name || recorder.email}</span>
                {recorder.team && <span> · {recorder.team}</span>}
              </span>
            </span>
          )}
        </div>
      </div>
      <MeetingActions url={meeting.url} shareUrl={meeting.share_url} providerName={meetingProviderName(meeting.provider)} />
    </header>
  );
}

function MeetingActions({
  url,
  shareUrl,
  providerName,
}: {
  url: string | null;
  shareUrl: string | null;
  providerName: string | null;
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);

  const copy = async () => {
    if (!isHttpUrl(shareUrl)) return;
    try {
      await navigator.clipboard.writeText(shareUrl);
      setCopied(true);
    } catch {
      window.open(shareUrl, "_blank", "noopener,noreferrer");
    }
  };

  return (
    <div className="flex shrink-0 flex-wrap items-center gap-2">
      {isHttpUrl(shareUrl) && (
        <Button variant="outline" onClick={copy} aria-live="polite">
          {copied ? <Check aria-hidden="true" /> : <Link2 aria-hidden="true" />}
          {copied ? "Link copied" : "Copy share link"}
        </Button>
      )}
      {isHttpUrl(url) && (
        <Button asChild>
          <a href={url} target="_blank" rel="noopener noreferrer">
            <ExternalLink aria-hidden="true" />
            {providerName ? `Open in ${providerName}` : "Open recording"}
          </a>
        </Button>
      )}
    </div>
  );
}

/**
 * Why the content is not all there, in the provider's words: pending (still processing; the page re-reads by itself
 * meanwhile, useMeeting), failed (the fetch gave up), unavailable (the provider's transcript did not come in time,
 * content_reason "no_transcript"; or the recording was deleted there, "deleted_at_provider"), or sent but not
 * downloaded (content_waiting: ContentDownloadNotice, without "Try again"). "Try again" re-reads now: disabled with a
 * spinner while it runs, and says so when the content is still not there afterwards.
 */
function ContentNotice({
  teamId,
  canManage,
  meeting,
  refetching,
  onRetry,
}: {
  teamId: string;
  /** a team owner or admin: may retry a download given up on */
  canManage: boolean;
  meeting: MeetingDetail;
  refetching: boolean;
  onRetry: () => Promise<unknown>;
}) {
  const [checked, setChecked] = useState<"idle" | "checking" | "still_missing">("idle");
  const status = meeting.content_status;
  if (status !== "pending" && status !== "failed" && status !== "unavailable") return null;
  const facts = meetingProviderFacts(meeting.provider);
  const name = facts.name;

  if (status === "unavailable" && meeting.content_reason === "deleted_at_provider") {
    const when = meeting.provider_deleted_at ? ` on ${formatDateTime(meeting.provider_deleted_at)}` : "";
    return (
      <Alert variant="info" className="mt-6">
        <Trash2 />
        <AlertTitle>{name ? `Deleted in ${name}${when}` : `Deleted at the provider${when}`}</AlertTitle>
        <AlertDescription>
          <p>
            The recording was deleted in {name ?? "the provider"}, so the CRM removed its transcript and recording links.
            The meeting and its leads stay here.
          </p>
        </AlertDescription>
      </Alert>
    );
  }

  if (status === "unavailable") {
    return (
      <Alert variant="info" className="mt-6">
        <FileX />
        <AlertTitle>{name ? `No transcript from ${name}` : "No transcript"}</AlertTitle>
        <AlertDescription>
          <p>
            {name ?? "The provider"} sent no transcript for this recording within a day of the meeting. It writes one only
            when audio transcription is on in the account's recording settings. If a transcript still comes, it appears
            here.
          </p>
        </AlertDescription>
      </Alert>
    );
  }

  // the provider sent it and the CRM's download is held or given up on: "Try again" (a re-read) could not help
  if (status === "pending" && meeting.content_waiting) {
    return (
      <ContentDownloadNotice
        teamId={teamId}
        provider={meeting.provider}
        who={name ?? "The provider"}
        waiting={meeting.content_waiting}
        canManage={canManage}
        onRetried={() => void onRetry()}
      />
    );
  }

  const failed = status === "failed";
  const missing = missingContent(meeting);
  const what = missing === "Content" || missing === "Transcript and summary"
    ? (facts.summaries || !name ? "The transcript and summary" : "The transcript")
    : `The ${missing.toLowerCase()}`;
  const plural = what.includes(" and ");
  const who = name ?? "The provider";
  const whose = name ?? "the provider";
  let explanation: string;
  if (failed) {
    explanation = facts.fetchesOnOpen
      ? `Fetching ${plural ? "them" : "it"} from ${whose} failed. You can try again, or open the recording in ${whose}.`
      : `${who} couldn't give ${plural ? "them" : "it"} to the CRM. You can open the recording in ${whose}.`;
  } else if (facts.fetchesOnOpen) {
    explanation = `${who} may still be processing the recording, or the import is waiting for ${whose}'s rate limit.`;
  } else {
    explanation = pushedContentPending(meeting, who, plural);
  }
  const retry = async () => {
    setChecked("checking");
    try {
      await onRetry();
    } finally {
      setChecked("still_missing");
    }
  };
  const busy = refetching || checked === "checking";
  return (
    <Alert variant={failed ? "warning" : "info"} className="mt-6">
      {failed ? <AlertTriangle /> : <Clock />}
      <AlertTitle>
        {failed
          ? `${who} didn't return ${what.charAt(0).toLowerCase()}${what.slice(1)}`
          : `${what} ${plural ? "aren't" : "isn't"} ready yet`}
      </AlertTitle>
      <AlertDescription className="flex flex-col items-start gap-2">
        <p>{explanation}</p>
        <div className="flex flex-wrap items-center gap-3">
          <Button size="sm" variant="outline" onClick={retry} disabled={busy} aria-busy={busy}>
            {busy ? <Loader2 className="animate-spin" aria-hidden="true" /> : <RefreshCw aria-hidden="true" />}
            {checked === "checking" ? "Checking…" : "Try again"}
          </Button>
          <span role="status" className="text-xs text-muted-foreground">
            {checked === "still_missing" && !busy ? "Checked just now: still not ready." : ""}
          </span>
        </div>
      </AlertDescription>
    </Alert>
  );
}

/**
 * Why a provider that pushes its content (Zoom) has not sent it yet: how long that usually takes, that none comes
 * without audio transcription, and when the CRM stops waiting (content_wait_until). A transcript it sent whose
 * download is held or given up on (content_waiting) is ContentDownloadNotice's. `who` is the provider's name.
 */
export function pushedContentPending(meeting: MeetingDetail, who: string, plural = false): string {
  const arrives = `This page updates by itself when ${plural ? "they arrive" : "it arrives"}.`;
  if (meeting.content_wait_until) {
    return `${who} usually sends the transcript within about the meeting's length after it ends; none comes if audio ` +
      `transcription is off in ${who}. We'll stop waiting on ${formatDateTime(meeting.content_wait_until)}. ${arrives}`;
  }
  return `${who} is still processing the recording. ${arrives}`;
}

function Attendees({ teamId, meeting, leads }: { teamId: string; meeting: MeetingDetail; leads: Lead[] | undefined }) {
  const invitees = meeting.invitees ?? [];
  // Which lead an attendee is: by e-mail, among the team's leads (those linked to this meeting first).
  const leadByEmail = useMemo(() => {
    const map = new Map<string, { id: string; name: string }>();
    const linked = new Set(meeting.leads.map((l) => l.id));
    const ordered = [...(leads ?? [])].sort((a, b) => Number(linked.has(b.id)) - Number(linked.has(a.id)));
    for (const lead of ordered) {
      for (const e of lead.emails) {
        const key = canonicalEmail(e);
        if (!map.has(key)) map.set(key, { id: lead.id, name: lead.name });
      }
    }
    return map;
  }, [leads, meeting.leads]);

  return (
    <Section icon={<Users />} title="Attendees" count={invitees.length}>
      {invitees.length === 0 ? (
        <p className="text-sm text-muted-foreground">No attendees.</p>
      ) : (
        <ul className="flex flex-col gap-2.5" aria-label="Attendees">
          {invitees.map((inv, i) => {
            const lead = inv.email ? leadByEmail.get(canonicalEmail(inv.email)) : undefined;
            const label = attendeeLabel(inv);
            return (
              <li key={`${inv.email ?? ""}-${i}`} className="flex min-w-0 items-center gap-2.5">
                <Avatar name={inv.name} email={inv.email} className="ring-0" />
                <div className="min-w-0 flex-1">
                  <div className="flex items-center gap-1.5">
                    {lead ? (
                      <Link
                        to={teamPath(teamId, `leads/${encodeURIComponent(lead.id)}`)}
                        className="truncate text-sm font-medium underline decoration-border underline-offset-2 hover:decoration-foreground"
                        title={`Open lead: ${lead.name}`}
                      >
                        {label}
                      </Link>
                    ) : (
                      <span className="truncate text-sm font-medium">{label}</span>
                    )}
                    {lead && (
                      <Badge variant="outline" className="px-1.5 py-0 text-[10px]">
                        Lead
                      </Badge>
                    )}
                    {inv.is_external === false && (
                      <Badge variant="secondary" className="px-1.5 py-0 text-[10px]">
                        Internal
                      </Badge>
                    )}
                  </div>
                  {inv.name && inv.email && <div className="truncate text-xs text-muted-foreground">{inv.email}</div>}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
