import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { CalendarDays, Loader2, SearchX, Video } from "lucide-react";
import { Button } from "@/components/ui/button";
import { MEETING_PROVIDERS, meetingProviderNames } from "@/lib/providers";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/FullPageState";
import { ErrorAlert } from "@/components/ErrorAlert";
import { MeetingList } from "@/components/MeetingList";
import { SearchInput } from "@/components/SearchInput";
import { useDebouncedValue } from "@/hooks/useDebouncedValue";
import { useSearchInUrl } from "@/hooks/useSearchInUrl";
import { useLeads } from "@/hooks/useLeads";
import { useMeetings } from "@/hooks/useMeetings";
import { useNewMeetingToast } from "@/hooks/useLiveRefresh";
import { errorMessage } from "@/lib/errorMessages";
import { clipSearch } from "@/lib/search";
import { teamPath } from "@/lib/teamSelection";
import { SEARCH_DEBOUNCE_MS } from "./LeadsPage";
import { useCurrentTeam } from "./TeamLayout";

export function MeetingsPage() {
  const team = useCurrentTeam();
  const [params, setParams] = useSearchParams();
  const leadId = params.get("leadId") ?? "";
  const [search, setSearch] = useState(() => clipSearch(params.get("q")) ?? "");
  const q = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const meetings = useMeetings(team.id, { q, leadId });
  useNewMeetingToast(`${team.id}|${q}|${leadId}`, meetings.data?.pages, meetings.isPlaceholderData);
  // the filter's choices: the first page of leads by name (bounded); a lead chosen elsewhere still filters
  const leads = useLeads(team.id, { sort: "name" });

  useSearchInUrl(q, setParams);

  const setLeadId = (id: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set("leadId", id);
        else next.delete("leadId");
        return next;
      },
      { replace: true },
    );

  const rows = meetings.data?.pages.flatMap((p) => p.meetings) ?? [];
  const filtered = !!(q || leadId);
  const leadList = useMemo(() => leads.data?.pages.flatMap((page) => page.leads) ?? [], [leads.data]);
  const selectedLeadUnknown = leadId && leads.isSuccess && !leadList.some((l) => l.id === leadId);

  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-8 md:px-8">
      <div className="mb-6">
        <h1 className="text-2xl font-semibold tracking-tight">Meetings</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Calls recorded with {meetingProviderNames()}, linked to the leads who attended.
        </p>
      </div>

      <div className="mb-4 flex flex-wrap items-center gap-3">
        <SearchInput
          value={search}
          onChange={setSearch}
          label="Search meetings"
          placeholder="Search by title or attendee"
          className="w-full max-w-sm"
        />
        <div className="flex items-center gap-2">
          <Label htmlFor="meetings-lead-filter" className="text-sm font-normal text-muted-foreground">
            Lead
          </Label>
          <NativeSelect
            id="meetings-lead-filter"
            value={leadId}
            onChange={(e) => setLeadId(e.target.value)}
            className="w-56"
          >
            <option value="">All leads</option>
            {selectedLeadUnknown && <option value={leadId}>Selected lead</option>}
            {leadList.map((l) => (
              <option key={l.id} value={l.id}>
                {l.company ? `${l.name} · ${l.company}` : l.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        {meetings.isFetching && !meetings.isFetchingNextPage && !meetings.isPending && (
          <Loader2 className="size-4 animate-spin text-muted-foreground" aria-label="Updating" />
        )}
      </div>

      {meetings.isError && !meetings.data ? (
        <ErrorAlert title="Couldn't load meetings" error={meetings.error} onRetry={() => meetings.refetch()} />
      ) : meetings.isPending ? (
        <MeetingsSkeleton />
      ) : rows.length === 0 ? (
        filtered ? (
          <EmptyState icon={<SearchX className="size-5" aria-hidden="true" />} title="No meetings match">
            <p>Try another title or attendee, or clear the filters.</p>
            <Button
              size="sm"
              variant="outline"
              className="mt-4"
              onClick={() => {
                setSearch("");
                setLeadId("");
              }}
            >
              Clear filters
            </Button>
          </EmptyState>
        ) : (
          <EmptyState icon={<Video className="size-5" aria-hidden="true" />} title="No meetings yet">
            <p>
              Connect {meetingProviderNames()} in Integrations: your recorded calls appear here with their transcripts,
              attached to the leads who attended.
            </p>
            <div className="mt-4 flex flex-wrap justify-center gap-2">
              {MEETING_PROVIDERS.map((p) => (
                <Button key={p.id} size="sm" variant="outline" asChild>
                  <Link to={teamPath(team.id, "settings/integrations")}>Connect {p.name}</Link>
                </Button>
              ))}
            </div>
          </EmptyState>
        )
      ) : (
        <>
          <MeetingList teamId={team.id} meetings={rows} />
          <div className="mt-4 flex justify-center">
            {meetings.hasNextPage ? (
              <Button variant="outline" onClick={() => meetings.fetchNextPage()} disabled={meetings.isFetchingNextPage}>
                {meetings.isFetchingNextPage && <Loader2 className="animate-spin" aria-hidden="true" />}
                Load more
              </Button>
            ) : (
              <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
                <CalendarDays className="size-3.5" aria-hidden="true" />
                {rows.length} {rows.length === 1 ? "meeting" : "meetings"}
              </p>
            )}
          </div>
          {meetings.isFetchNextPageError && (
            <p role="alert" className="mt-2 text-center text-sm text-red-700">
              Couldn't load more meetings: {errorMessage(meetings.error)}
            </p>
          )}
        </>
      )}
    </div>
  );
}

function MeetingsSkeleton() {
  return (
    <div className="flex flex-col gap-4 rounded-xl border border-border p-4" aria-busy="true" data-testid="meetings-loading">
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="flex items-center gap-4">
          <Skeleton className="h-8 w-16" />
          <div className="flex flex-1 flex-col gap-1.5">
            <Skeleton className="h-4 w-1/2" />
            <Skeleton className="h-3 w-1/4" />
          </div>
          <Skeleton className="h-6 w-20 rounded-full" />
        </div>
      ))}
    </div>
  );
}
