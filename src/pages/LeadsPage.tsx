import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { Loader2, Plus, SearchX, Users } from "lucide-react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/FullPageState";
import { ErrorAlert } from "@/components/ErrorAlert";
import { LeadFormDialog } from "@/components/LeadFormDialog";
import { LeadStageBadge, STAGE_LABELS } from "@/components/LeadStageBadge";
import { SearchInput } from "@/components/SearchInput";
import { useDebouncedValue } from "@/hooks/useDebouncedValue";
import { useLeads } from "@/hooks/useLeads";
import { useMembers } from "@/hooks/useMembers";
import { teamPath } from "@/lib/teamSelection";
import { formatDateTime, formatRelative } from "@/lib/utils";
import { LEAD_STAGES, type Lead, type LeadSort, type LeadStage, type Member } from "@/lib/types";
import { useCurrentTeam } from "./TeamLayout";

export const SEARCH_DEBOUNCE_MS = 250;

export function ownerName(lead: Pick<Lead, "owner_id" | "owner_email">, members: Member[] | undefined): string | null {
  if (!lead.owner_id && !lead.owner_email) return null;
  const m = members?.find((x) => x.user_id === lead.owner_id);
  return m?.full_name || m?.email || lead.owner_email || null;
}

export function LeadsPage() {
  const team = useCurrentTeam();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [stage, setStage] = useState<LeadStage | "">("");
  const [sort, setSort] = useState<LeadSort>("created");
  const q = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const leads = useLeads(team.id, { q, stage: stage || undefined, sort: sort === "created" ? undefined : sort });
  const members = useMembers(team.id);
  const [createOpen, setCreateOpen] = useState(false);

  const pages = leads.data?.pages;
  const rows = useMemo(() => pages?.flatMap((page) => page.leads) ?? [], [pages]);
  const filtered = Boolean(q || stage);
  const searching = leads.isFetching && leads.isPlaceholderData;
  const memberList = members.data;
  const owners = useMemo(() => new Map(rows.map((l) => [l.id, ownerName(l, memberList)])), [rows, memberList]);

  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-8 md:px-8">
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Leads</h1>
          <p className="mt-1 text-sm text-muted-foreground">
            People and companies <span className="font-medium text-foreground">{team.name}</span> is talking to.
          </p>
        </div>
        <Button onClick={() => setCreateOpen(true)}>
          <Plus aria-hidden="true" />
          New lead
        </Button>
      </div>

      <div className="mb-4 flex items-center gap-3">
        <SearchInput
          value={search}
          onChange={setSearch}
          label="Search leads"
          placeholder="Search by name, company or e-mail"
          className="w-full max-w-sm"
        />
        {searching && <Loader2 className="size-4 animate-spin text-muted-foreground" aria-label="Searching" />}
        <select
          aria-label="Stage"
          value={stage}
          onChange={(e) => setStage(e.target.value as LeadStage | "")}
          className="h-9 rounded-md border border-input bg-background px-2 text-sm"
        >
          <option value="">All stages</option>
          {LEAD_STAGES.map((s) => (
            <option key={s} value={s}>
              {STAGE_LABELS[s]}
            </option>
          ))}
        </select>
        <select
          aria-label="Sort"
          value={sort}
          onChange={(e) => setSort(e.target.value as LeadSort)}
          className="h-9 rounded-md border border-input bg-background px-2 text-sm"
        >
          <option value="created">Newest first</option>
          <option value="name">Name A–Z</option>
        </select>
        {leads.isSuccess && (
          <span className="ml-auto text-sm text-muted-foreground" aria-live="polite">
            {rows.length} {rows.length === 1 ? "lead" : "leads"}
            {leads.hasNextPage && " shown"}
          </span>
        )}
      </div>

      {leads.isError ? (
        <ErrorAlert title="Couldn't load leads" error={leads.error} onRetry={() => leads.refetch()} />
      ) : leads.isPending ? (
        <LeadsSkeleton />
      ) : rows.length === 0 ? (
        filtered ? (
          <EmptyState icon={<SearchX className="size-5" aria-hidden="true" />} title="No leads match your search">
            <p>
              {q ? <>Nothing found for “{q}”. </> : "No leads in this stage. "}Try a name, a company or an e-mail
              address.
            </p>
          </EmptyState>
        ) : (
          <EmptyState icon={<Users className="size-5" aria-hidden="true" />} title="No leads yet">
            <p>Add your first lead, or connect Fathom to link meetings to the people you meet.</p>
            <div className="mt-4 flex justify-center gap-2">
              <Button size="sm" onClick={() => setCreateOpen(true)}>
                <Plus aria-hidden="true" />
                New lead
              </Button>
              <Button size="sm" variant="outline" asChild>
                <Link to={teamPath(team.id, "settings/integrations")}>Integrations</Link>
              </Button>
            </div>
          </EmptyState>
        )
      ) : (
        <>
          <div className="overflow-x-auto rounded-xl border border-border bg-card">
          <table className="w-full min-w-[720px] text-sm">
            <thead className="border-b border-border bg-muted/40 text-left text-xs text-muted-foreground">
              <tr>
                <th scope="col" className="px-4 py-2.5 font-medium">Name</th>
                <th scope="col" className="px-4 py-2.5 font-medium">Company</th>
                <th scope="col" className="px-4 py-2.5 font-medium">Stage</th>
                <th scope="col" className="px-4 py-2.5 font-medium">Owner</th>
                <th scope="col" className="px-4 py-2.5 text-right font-medium">Meetings</th>
                <th scope="col" className="px-4 py-2.5 font-medium">Last meeting</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
              {rows.map((lead) => {
                const owner = owners.get(lead.id);
                return (
                  <tr key={lead.id} className="relative transition-colors hover:bg-muted/50" data-testid="lead-row">
                    <td className="max-w-[18rem] px-4 py-2.5">
                      <div className="flex items-center gap-2.5">
                        <Avatar name={lead.name} colorKey={lead.id} />
                        <div className="min-w-0">
                          <Link
                            to={teamPath(team.id, `leads/${encodeURIComponent(lead.id)}`)}
                            className="block truncate font-medium outline-none after:absolute after:inset-0 after:content-[''] focus-visible:underline"
                          >
                            {lead.name}
                          </Link>
                          {lead.emails[0] && (
                            <div className="truncate text-xs text-muted-foreground">
                              {lead.emails[0]}
                              {lead.emails.length > 1 && ` +${lead.emails.length - 1}`}
                            </div>
                          )}
                        </div>
                      </div>
                    </td>
                    <td className="max-w-[12rem] truncate px-4 py-2.5">{lead.company || <Muted />}</td>
                    <td className="px-4 py-2.5">
                      <LeadStageBadge stage={lead.stage} />
                    </td>
                    <td className="max-w-[12rem] px-4 py-2.5">
                      {owner ? (
                        <span className="flex items-center gap-2">
                          <Avatar name={owner} email={lead.owner_email} size="sm" />
                          <span className="truncate">{owner}</span>
                        </span>
                      ) : (
                        <Muted>Unassigned</Muted>
                      )}
                    </td>
                    <td className="px-4 py-2.5 text-right tabular-nums">{lead.meeting_count ?? 0}</td>
                    <td className="px-4 py-2.5 text-muted-foreground" title={formatDateTime(lead.last_meeting_at)}>
                      {lead.last_meeting_at ? formatRelative(lead.last_meeting_at) : <Muted />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </div>
          {leads.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <Button variant="outline" onClick={() => leads.fetchNextPage()} disabled={leads.isFetchingNextPage}>
                {leads.isFetchingNextPage && <Loader2 className="animate-spin" aria-hidden="true" />}
                Load more
              </Button>
            </div>
          )}
          {leads.isFetchNextPageError && (
            <p role="alert" className="mt-2 text-center text-sm text-red-700">
              Couldn't load more leads. Please try again.
            </p>
          )}
        </>
      )}

      <LeadFormDialog
        teamId={team.id}
        open={createOpen}
        onOpenChange={setCreateOpen}
        onSaved={(lead) => navigate(teamPath(team.id, `leads/${encodeURIComponent(lead.id)}`))}
      />
    </div>
  );
}

function Muted({ children = "—" }: { children?: string }) {
  return <span className="text-muted-foreground">{children}</span>;
}

function LeadsSkeleton() {
  return (
    <div className="flex flex-col gap-3 rounded-xl border border-border p-4" aria-busy="true" data-testid="leads-loading">
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="flex items-center gap-3">
          <Skeleton className="size-7 rounded-full" />
          <Skeleton className="h-4 w-48" />
          <Skeleton className="ml-auto h-4 w-24" />
        </div>
      ))}
    </div>
  );
}
