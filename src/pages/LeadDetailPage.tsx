import { toast } from "@/lib/toast";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ArrowLeft, CalendarDays, Loader2, Mail, Pencil, Trash2, UserRoundX } from "lucide-react";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/FullPageState";
import { ErrorAlert } from "@/components/ErrorAlert";
import { LeadFormDialog } from "@/components/LeadFormDialog";
import { LeadTimeline } from "@/components/LeadTimeline";
import { LeadTasks } from "@/components/tasks/LeadTasks";
import { LeadStageBadge, STAGE_LABELS, isLeadStage } from "@/components/LeadStageBadge";
import { MeetingList } from "@/components/MeetingList";
import { useDeleteLead, useLead, useUpdateLead } from "@/hooks/useLead";
import { useMembers } from "@/hooks/useMembers";
import { errorMessage, isNotFound } from "@/lib/errorMessages";
import { leadSourceText } from "@/lib/leadSource";
import { meetingProviderNames } from "@/lib/providers";
import { teamPath } from "@/lib/teamSelection";
import { formatDateTime } from "@/lib/utils";
import { LEAD_STAGES, isTeamAdmin, type LeadStage } from "@/lib/types";
import { ownerName } from "./LeadsPage";
import { useCurrentTeam } from "./TeamLayout";

export function LeadDetailPage() {
  const team = useCurrentTeam();
  const { leadId = "" } = useParams();
  const navigate = useNavigate();
  const query = useLead(team.id, leadId);
  const members = useMembers(team.id);
  const update = useUpdateLead(team.id, leadId);
  const del = useDeleteLead(team.id, leadId);
  const [editOpen, setEditOpen] = useState(false);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const canDelete = isTeamAdmin(team.role);
  const leadsPath = teamPath(team.id, "leads");

  const back = (
    <Link to={leadsPath} className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
      <ArrowLeft className="size-4" aria-hidden="true" />
      Leads
    </Link>
  );

  if (query.isPending) {
    return (
      <div className="mx-auto w-full max-w-6xl px-4 py-8 md:px-8" aria-busy="true">
        {back}
        <div className="mt-6 flex items-center gap-4">
          <Skeleton className="size-12 rounded-full" />
          <div className="flex flex-col gap-2">
            <Skeleton className="h-6 w-56" />
            <Skeleton className="h-4 w-32" />
          </div>
        </div>
        <Skeleton className="mt-8 h-40 w-full" />
      </div>
    );
  }

  if (query.isError) {
    const notFound = isNotFound(query.error);
    return (
      <div className="mx-auto w-full max-w-6xl px-4 py-8 md:px-8">
        {back}
        <div className="mt-6">
          {notFound ? (
            <EmptyState icon={<UserRoundX className="size-5" aria-hidden="true" />} title="Lead not found">
              <p>It may have been deleted, or it belongs to another team.</p>
            </EmptyState>
          ) : (
            <ErrorAlert title="Couldn't load the lead" error={query.error} onRetry={() => query.refetch()} />
          )}
        </div>
      </div>
    );
  }

  const { lead, meetings } = query.data;
  // The API lists only the newest meetings (a capped number); lead.meeting_count is how many it has in all.
  const meetingCount = Math.max(lead.meeting_count, meetings.length);
  const leadMeetingsPath = `${teamPath(team.id, "meetings")}?leadId=${encodeURIComponent(lead.id)}`;
  const owner = ownerName(lead, members.data);

  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-8 md:px-8">
      {back}

      <header className="mt-4 flex flex-wrap items-start gap-4 border-b border-border pb-6">
        <Avatar name={lead.name} colorKey={lead.id} size="lg" className="size-12 text-base" />
        {/* basis-48: with basis 0 the name could shrink to nothing beside the actions on a phone; now they wrap */}
        <div className="min-w-0 flex-1 basis-48">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="truncate text-2xl font-semibold tracking-tight">{lead.name}</h1>
            <LeadStageBadge stage={lead.stage} />
          </div>
          <p className="mt-1 text-sm text-muted-foreground">{lead.company || "No company"}</p>
        </div>
        <div className="flex items-center gap-2">
          <Button variant="outline" onClick={() => setEditOpen(true)}>
            <Pencil aria-hidden="true" />
            Edit
          </Button>
          {canDelete && (
            <AlertDialog open={confirmOpen} onOpenChange={setConfirmOpen}>
              <AlertDialogTrigger asChild>
                <Button variant="outline" className="text-red-700 hover:text-red-800" disabled={del.isPending}>
                  {del.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Trash2 aria-hidden="true" />}
                  Delete
                </Button>
              </AlertDialogTrigger>
              <AlertDialogContent>
                <AlertDialogHeader>
                  <AlertDialogTitle>Delete {lead.name}?</AlertDialogTitle>
                  <AlertDialogDescription>
                    The lead, its e-mail addresses and notes are removed for everyone on the team. Its meetings stay in
                    the CRM. This cannot be undone.
                  </AlertDialogDescription>
                </AlertDialogHeader>
                <AlertDialogFooter>
                  <AlertDialogCancel>Cancel</AlertDialogCancel>
                  <AlertDialogAction
                    className="bg-destructive text-white hover:bg-destructive/90"
                    onClick={() => del.mutate(undefined, { onSuccess: () => navigate(leadsPath, { replace: true }) })}
                  >
                    Delete lead
                  </AlertDialogAction>
                </AlertDialogFooter>
              </AlertDialogContent>
            </AlertDialog>
          )}
        </div>
        {del.isError && (
          <p role="alert" className="w-full text-sm text-red-700">
            Couldn't delete the lead: {errorMessage(del.error)}
          </p>
        )}
      </header>

      <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="flex min-w-0 flex-col gap-8">
          <LeadTasks teamId={team.id} role={team.role} lead={{ id: lead.id, name: lead.name }} />
          <LeadTimeline teamId={team.id} leadId={lead.id} />
          <section aria-labelledby="lead-meetings-title" className="min-w-0">
            <div className="mb-3 flex items-center justify-between">
              <h2 id="lead-meetings-title" className="text-sm font-semibold">
                Meetings <span className="font-normal text-muted-foreground">{meetingCount}</span>
              </h2>
              {meetings.length > 0 && (
                <Link to={leadMeetingsPath} className="text-sm text-muted-foreground hover:text-foreground">
                  View in Meetings
                </Link>
              )}
            </div>
            {meetings.length > 0 ? (
              <MeetingList teamId={team.id} meetings={meetings} label={`Meetings with ${lead.name}`} />
            ) : (
              <div className="rounded-xl border border-dashed border-border px-6 py-10 text-center text-sm text-muted-foreground">
                <CalendarDays className="mx-auto mb-2 size-5" aria-hidden="true" />
                No meetings with {lead.name} yet. Meetings recorded with {meetingProviderNames()} where one of the
                lead's e-mails is invited appear here.
              </div>
            )}
            {meetingCount > meetings.length && (
              <p className="mt-3 text-sm text-muted-foreground">
                Showing the {meetings.length} most recent of {meetingCount} meetings.{" "}
                <Link to={leadMeetingsPath} className="font-medium text-foreground hover:underline">
                  See all
                </Link>
              </p>
            )}
          </section>
        </div>

        <aside className="order-first flex flex-col gap-4 lg:order-last">
          <Card>
            <CardHeader className="pb-3">
              <CardTitle>Details</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid grid-cols-2 gap-x-3 gap-y-4 text-sm">
                <div className="col-span-2 flex flex-col gap-1.5">
                  <dt>
                    <label htmlFor="lead-stage-inline" className="text-xs text-muted-foreground">
                      Stage
                    </label>
                  </dt>
                  <dd>
                    <NativeSelect
                      id="lead-stage-inline"
                      value={isLeadStage(lead.stage) ? lead.stage : ""}
                      disabled={update.isPending}
                      onChange={(e) => {
                        const stage = e.target.value as LeadStage;
                        update.mutate({ stage }, { onSuccess: () => toast.success(`Stage changed to ${STAGE_LABELS[stage]}`) });
                      }}
                    >
                      {!isLeadStage(lead.stage) && <option value="">{lead.stage}</option>}
                      {LEAD_STAGES.map((s) => (
                        <option key={s} value={s}>
                          {STAGE_LABELS[s]}
                        </option>
                      ))}
                    </NativeSelect>
                    {update.isError && !editOpen && (
                      <p role="alert" className="mt-1 text-xs text-red-700">
                        {errorMessage(update.error)}
                      </p>
                    )}
                  </dd>
                </div>
                <div className="col-span-2 flex flex-col gap-1.5">
                  <dt className="text-xs text-muted-foreground">Owner</dt>
                  <dd>
                    {owner ? (
                      <span className="flex items-center gap-2">
                        <Avatar name={owner} email={lead.owner_email} size="sm" />
                        <span className="truncate">{owner}</span>
                      </span>
                    ) : (
                      <span className="text-muted-foreground">Unassigned</span>
                    )}
                  </dd>
                </div>
                <div className="col-span-2 flex flex-col gap-1.5">
                  <dt className="text-xs text-muted-foreground">E-mails</dt>
                  <dd>
                    {lead.emails.length > 0 ? (
                      <ul className="flex flex-col gap-1" aria-label="E-mails">
                        {lead.emails.map((e) => (
                          <li key={e} className="flex min-w-0 items-center gap-2">
                            <Mail className="size-3.5 shrink-0 text-muted-foreground" aria-hidden="true" />
                            <a href={`mailto:${e}`} className="truncate hover:underline">
                              {e}
                            </a>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="text-muted-foreground">None</span>
                    )}
                  </dd>
                </div>
                <div className="col-span-2 flex flex-col gap-1.5">
                  <dt className="text-xs text-muted-foreground">Source</dt>
                  <dd>
                    <Badge variant="secondary">{leadSourceText(lead)}</Badge>
                  </dd>
                </div>
                {/* a <dl> may hold only dt/dd groups, each in one <div>: the two-column look comes from the dl's grid */}
                <div className="text-xs">
                  <dt className="text-muted-foreground">Created</dt>
                  <dd className="mt-0.5">{formatDateTime(lead.created_at)}</dd>
                </div>
                <div className="text-xs">
                  <dt className="text-muted-foreground">Updated</dt>
                  <dd className="mt-0.5">{formatDateTime(lead.updated_at)}</dd>
                </div>
              </dl>
            </CardContent>
          </Card>
        </aside>
      </div>

      <LeadFormDialog teamId={team.id} open={editOpen} onOpenChange={setEditOpen} lead={lead} />
    </div>
  );
}
