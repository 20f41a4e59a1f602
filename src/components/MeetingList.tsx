import { Link } from "react-router-dom";
import { UserRound } from "lucide-react";
import { AttendeeStack } from "@/components/AttendeeStack";
import { ContentStatusBadge, missingContent } from "@/components/ContentStatusBadge";
import { MeetingSource } from "@/components/MeetingSource";
import { formatDuration, meetingStart, meetingTitle } from "@/lib/meetings";
import { teamPath } from "@/lib/teamSelection";
import type { MeetingSummary } from "@/lib/types";

function dayLabel(iso: string | null): { day: string; time: string; full: string } {
  if (!iso) return { day: "—", time: "", full: "" };
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { day: "—", time: "", full: "" };
  const sameYear = d.getFullYear() === new Date().getFullYear();
  return {
    day: d.toLocaleDateString(undefined, { month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }) }),
    time: d.toLocaleTimeString(undefined, { timeStyle: "short" }),
    full: d.toLocaleString(undefined, { dateStyle: "full", timeStyle: "short" }),
  };
}

export function LeadChip({ teamId, lead }: { teamId: string; lead: { id: string; name: string } }) {
  return (
    <Link
      to={teamPath(teamId, `leads/${encodeURIComponent(lead.id)}`)}
      className="relative z-10 inline-flex max-w-[12rem] items-center gap-1 rounded-full border border-border bg-background px-2 py-0.5 text-xs font-medium hover:bg-muted"
    >
      <UserRound className="size-3 shrink-0 text-muted-foreground" aria-hidden="true" />
      <span className="truncate">{lead.name}</span>
    </Link>
  );
}

export function MeetingRow({
  teamId,
  meeting,
  showLeads = true,
}: {
  teamId: string;
  meeting: MeetingSummary;
  showLeads?: boolean;
}) {
  const start = meetingStart(meeting);
  const when = dayLabel(start);
  const duration = formatDuration(meeting.recording_start_time, meeting.recording_end_time);
  const recorder = meeting.recorded_by?.name || meeting.recorded_by?.email;
  return (
    <li
      className="group relative flex flex-col gap-3 px-4 py-3 transition-colors hover:bg-muted/50 sm:flex-row sm:items-center sm:gap-4"
      data-testid="meeting-row"
    >
      <time dateTime={start ?? undefined} title={when.full} className="flex w-24 shrink-0 flex-col text-sm">
        <span className="font-medium">{when.day}</span>
        <span className="text-xs text-muted-foreground">{when.time}</span>
      </time>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <Link
            to={teamPath(teamId, `meetings/${encodeURIComponent(meeting.id)}`)}
            className="truncate text-sm font-medium outline-none after:absolute after:inset-0 after:content-[''] focus-visible:underline"
          >
            {meetingTitle(meeting)}
          </Link>
          <ContentStatusBadge
            status={meeting.content_status}
            missing={missingContent(meeting)}
            reason={meeting.content_reason}
            provider={meeting.provider}
          />
        </div>
        <p className="mt-0.5 truncate text-xs text-muted-foreground">
          <MeetingSource provider={meeting.provider} className="align-bottom" />
          {" · "}
          {recorder ? <>Recorded by {recorder}</> : "Recorder unknown"}
          {duration && <> · {duration}</>}
        </p>
        {showLeads && meeting.leads.length > 0 && (
          <div className="mt-2 flex flex-wrap gap-1.5" aria-label="Linked leads">
            {meeting.leads.map((l) => (
              <LeadChip key={l.id} teamId={teamId} lead={l} />
            ))}
          </div>
        )}
      </div>
      <div className="shrink-0">
        <AttendeeStack invitees={meeting.invitees} />
      </div>
    </li>
  );
}

export function MeetingList({
  teamId,
  meetings,
  showLeads,
  label = "Meetings",
}: {
  teamId: string;
  meetings: MeetingSummary[];
  showLeads?: boolean;
  label?: string;
}) {
  return (
    <ul aria-label={label} className="divide-y divide-border overflow-hidden rounded-xl border border-border bg-card">
      {meetings.map((m) => (
        <MeetingRow key={m.id} teamId={teamId} meeting={m} showLeads={showLeads} />
      ))}
    </ul>
  );
}
