import { useMemo, useRef, useState, type ReactNode } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ArrowDown, ArrowUp, ArrowUpDown, Loader2, Plus, SearchX, Users } from "lucide-react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/FullPageState";
import { ErrorAlert } from "@/components/ErrorAlert";
import { LeadFormDialog } from "@/components/LeadFormDialog";
import { LeadStageBadge, STAGE_LABELS } from "@/components/LeadStageBadge";
import { SearchInput } from "@/components/SearchInput";
import { useDebouncedValue } from "@/hooks/useDebouncedValue";
import { useSearchInUrl } from "@/hooks/useSearchInUrl";
import { useLeads } from "@/hooks/useLeads";
import { useMediaQuery } from "@/hooks/useMediaQuery";
import { useMembers } from "@/hooks/useMembers";
import { useSession } from "@/hooks/useSession";
import { errorMessage } from "@/lib/errorMessages";
import { leadsQueryOf, nextSort, readLeadsView, writeLeadsView, type LeadsView } from "@/lib/leadsView";
import { clipSearch } from "@/lib/search";
import { teamPath } from "@/lib/teamSelection";
import { formatDateTime, formatRelative } from "@/lib/utils";
import { LEAD_STAGES, type Lead, type LeadSort, type Member, type SortDir } from "@/lib/types";
import { useCurrentTeam } from "./TeamLayout";

export const SEARCH_DEBOUNCE_MS = 250;

/** Below this width the table becomes a list of cards (the table's six columns need ~720 px). */
export const LEADS_CARDS_QUERY = "(max-width: 767px)";

export function ownerName(lead: Pick<Lead, "owner_id" | "owner_email">, members: Member[] | undefined): string | null {
  if (!lead.owner_id && !lead.owner_email) return null;
  const m = members?.find((x) => x.user_id === lead.owner_id);
  return m?.full_name || m?.email || lead.owner_email || null;
}

type Column = Exclude<LeadSort, "created">;

/** The phone's sort menu: every order the headers reach, as "sort:dir". */
const SORT_CHOICES: { value: `${LeadSort}:${SortDir}`; label: string }[] = [
  { value: "created:desc", label: "Newest first" },
  { value: "name:asc", label: "Name A–Z" },
  { value: "name:desc", label: "Name Z–A" },
  { value: "stage:asc", label: "Stage: New to Lost" },
  { value: "stage:desc", label: "Stage: Lost to New" },
  { value: "owner:asc", label: "Owner A–Z" },
  { value: "owner:desc", label: "Owner Z–A" },
  { value: "last_meeting:desc", label: "Last meeting: recent first" },
  { value: "last_meeting:asc", label: "Last meeting: oldest first" },
];

export function LeadsPage() {
  const team = useCurrentTeam();
  const navigate = useNavigate();
  const { session } = useSession();
  const userId = session?.user?.id;
  const [params, setParams] = useSearchParams();
  const view = readLeadsView(params);
  const [search, setSearch] = useState(() => clipSearch(params.get("q")) ?? "");
  const q = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const leads = useLeads(team.id, { q, ...leadsQueryOf(view, userId) });
  const list = useRef<HTMLDivElement>(null);
  /**
   * The next page, then the focus on its first lead: the button disappears after the last page, and the focus would
   * drop to <body> (a keyboard user starts over from the top); on earlier pages it is where reading goes on anyway.
   */
  const loadMore = async () => {
    const rows = () => list.current?.querySelectorAll<HTMLElement>('[data-testid="lead-row"]') ?? [];
    const before = rows().length;
    const result = await leads.fetchNextPage();
    if (result.isError) return;
    requestAnimationFrame(() => rows()[before]?.querySelector<HTMLElement>("a[href]")?.focus());
  };
  const members = useMembers(team.id);
  const [createOpen, setCreateOpen] = useState(false);
  const cards = useMediaQuery(LEADS_CARDS_QUERY);

  useSearchInUrl(q, setParams);

  const setView = (change: Partial<LeadsView>) =>
    setParams((prev) => writeLeadsView(prev, { ...readLeadsView(prev), ...change }), { replace: true });

  const pages = leads.data?.pages;
  const rows = useMemo(() => pages?.flatMap((page) => page.leads) ?? [], [pages]);
  const filtered = Boolean(q || view.stage || view.owner);
  const searching = leads.isFetching && leads.isPlaceholderData;
  const memberList = members.data;
  const owners = useMemo(() => new Map(rows.map((l) => [l.id, ownerName(l, memberList)])), [rows, memberList]);
  // an owner id from the URL that is not (or no longer) a member: still shown as the selected filter
  const ownerUnlisted =
    view.owner &&
    view.owner !== "me" &&
    view.owner !== "none" &&
    memberList &&
    !memberList.some((m) => m.user_id === view.owner);

  const clearFilters = () => {
    setSearch("");
    setView({ stage: undefined, owner: undefined });
  };

  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-8 md:px-8">
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
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

      {/* Phone: search on its own line, then the filters two by two; wider: one row that wraps when it must. */}
      <div className="mb-4 flex flex-col gap-3 md:flex-row md:flex-wrap md:items-center" data-testid="leads-toolbar">
        <div className="flex min-w-0 items-center gap-2 md:w-80">
          <SearchInput
            value={search}
            onChange={setSearch}
            label="Search leads"
            placeholder="Search by name, company or e-mail"
            className="min-w-0 flex-1"
          />
          {searching && <Loader2 className="size-4 shrink-0 animate-spin text-muted-foreground" aria-label="Searching" />}
        </div>
        <div className="grid grid-cols-2 gap-2 md:flex md:items-center">
          <NativeSelect
            aria-label="Stage"
            value={view.stage ?? ""}
            onChange={(e) => setView({ stage: (e.target.value || undefined) as LeadsView["stage"] })}
            className="min-w-0 md:w-40"
          >
            <option value="">All stages</option>
            {LEAD_STAGES.map((s) => (
              <option key={s} value={s}>
                {STAGE_LABELS[s]}
              </option>
            ))}
          </NativeSelect>
          <NativeSelect
            aria-label="Owner"
            value={view.owner ?? ""}
            onChange={(e) => setView({ owner: e.target.value || undefined })}
            className="min-w-0 md:w-48"
          >
            <option value="">All owners</option>
            {userId && <option value="me">Mine</option>}
            <option value="none">Unassigned</option>
            {ownerUnlisted && <option value={view.owner}>Selected owner</option>}
            {(memberList ?? []).map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.full_name || m.email}
              </option>
            ))}
          </NativeSelect>
          {cards && (
            <NativeSelect
              aria-label="Sort"
              value={`${view.sort}:${view.dir}`}
              onChange={(e) => {
                const [sort, dir] = e.target.value.split(":") as [LeadSort, SortDir];
                setView({ sort, dir });
              }}
              className="col-span-2 min-w-0"
            >
              {/* a hand-made URL may hold an order the menu does not list (oldest first): keep it selectable */}
              {!SORT_CHOICES.some((c) => c.value === `${view.sort}:${view.dir}`) && (
                <option value={`${view.sort}:${view.dir}`}>Custom order</option>
              )}
              {SORT_CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </NativeSelect>
          )}
        </div>
        {leads.isSuccess && (
          <span className="text-sm text-muted-foreground md:ml-auto" aria-live="polite" data-testid="leads-count">
            {rows.length} {rows.length === 1 ? "lead" : "leads"}
            {leads.hasNextPage && " shown, more to load"}
          </span>
        )}
      </div>

      {leads.isError && !leads.data ? (
        <ErrorAlert title="Couldn't load leads" error={leads.error} onRetry={() => leads.refetch()} />
      ) : leads.isPending ? (
        <LeadsSkeleton />
      ) : rows.length === 0 ? (
        filtered ? (
          <EmptyState icon={<SearchX className="size-5" aria-hidden="true" />} title="No leads match your search">
            <p>
              {q ? <>Nothing found for “{q}”. </> : "No leads match these filters. "}Try a name, a company or an
              e-mail address, or clear the filters.
            </p>
            <Button size="sm" variant="outline" className="mt-4" onClick={clearFilters}>
              Clear filters
            </Button>
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
          <div ref={list}>
            {cards ? (
              <LeadCards teamId={team.id} leads={rows} owners={owners} />
            ) : (
              <LeadTable
                teamId={team.id}
                leads={rows}
                owners={owners}
                view={view}
                onSort={(column) => setView(nextSort(view, column))}
              />
            )}
          </div>
          {leads.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <Button variant="outline" onClick={() => void loadMore()} disabled={leads.isFetchingNextPage}>
                {leads.isFetchingNextPage && <Loader2 className="animate-spin" aria-hidden="true" />}
                Load more
              </Button>
            </div>
          )}
          {leads.isFetchNextPageError && (
            <p role="alert" className="mt-2 text-center text-sm text-red-700">
              Couldn't load more leads: {errorMessage(leads.error)}
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

interface ListProps {
  teamId: string;
  leads: Lead[];
  owners: Map<string, string | null>;
}

/** A column header that sorts: a button inside the <th>, whose aria-sort says the current order. */
function SortHeader({
  column,
  view,
  onSort,
  className,
  children,
}: {
  column: Column;
  view: LeadsView;
  onSort: (column: Column) => void;
  className?: string;
  children: ReactNode;
}) {
  const active = view.sort === column;
  const Icon = !active ? ArrowUpDown : view.dir === "asc" ? ArrowUp : ArrowDown;
  return (
    <th
      scope="col"
      aria-sort={active ? (view.dir === "asc" ? "ascending" : "descending") : "none"}
      className={`px-2 py-1.5 font-medium ${className ?? ""}`}
    >
      <button
        type="button"
        onClick={() => onSort(column)}
        className={`inline-flex items-center gap-1 rounded-md px-2 py-1 hover:bg-muted hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring ${
          active ? "text-foreground" : ""
        }`}
      >
        {children}
        <Icon className={`size-3.5 ${active ? "" : "opacity-50"}`} aria-hidden="true" />
      </button>
    </th>
  );
}

function LeadTable({
  teamId,
  leads,
  owners,
  view,
  onSort,
}: ListProps & { view: LeadsView; onSort: (column: Column) => void }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-border bg-card">
      <table className="w-full min-w-[720px] text-sm">
        <thead className="border-b border-border bg-muted/40 text-left text-xs text-muted-foreground">
          <tr>
            <SortHeader column="name" view={view} onSort={onSort}>
              Name
            </SortHeader>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Company
            </th>
            <SortHeader column="stage" view={view} onSort={onSort}>
              Stage
            </SortHeader>
            <SortHeader column="owner" view={view} onSort={onSort}>
              Owner
            </SortHeader>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">
              Meetings
            </th>
            <SortHeader column="last_meeting" view={view} onSort={onSort}>
              Last meeting
            </SortHeader>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {leads.map((lead) => {
            const owner = owners.get(lead.id);
            return (
              <tr key={lead.id} className="relative transition-colors hover:bg-muted/50" data-testid="lead-row">
                <td className="max-w-[18rem] px-4 py-2.5">
                  <div className="flex items-center gap-2.5">
                    <Avatar name={lead.name} colorKey={lead.id} />
                    <div className="min-w-0">
                      <LeadLink teamId={teamId} lead={lead} />
                      <LeadEmails lead={lead} />
                    </div>
                  </div>
                </td>
                <td className="max-w-[12rem] truncate px-4 py-2.5">{lead.company || <Muted />}</td>
                <td className="px-4 py-2.5">
                  <LeadStageBadge stage={lead.stage} />
                </td>
                <td className="max-w-[12rem] px-4 py-2.5">
                  <Owner lead={lead} owner={owner} />
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
  );
}

/** The phone's list: one card per lead (name and stage, company and e-mail, owner and last meeting), all tappable. */
function LeadCards({ teamId, leads, owners }: ListProps) {
  return (
    <ul className="divide-y divide-border rounded-xl border border-border bg-card" data-testid="lead-cards">
      {leads.map((lead) => {
        const owner = owners.get(lead.id);
        return (
          <li key={lead.id} className="relative flex gap-3 px-4 py-3 hover:bg-muted/50" data-testid="lead-row">
            <Avatar name={lead.name} colorKey={lead.id} />
            <div className="flex min-w-0 flex-1 flex-col gap-1">
              <div className="flex items-start justify-between gap-2">
                <div className="min-w-0">
                  <LeadLink teamId={teamId} lead={lead} />
                  {lead.company && <div className="truncate text-xs text-muted-foreground">{lead.company}</div>}
                </div>
                <LeadStageBadge stage={lead.stage} />
              </div>
              <LeadEmails lead={lead} />
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
                <Owner lead={lead} owner={owner} />
                <span className="text-muted-foreground" title={formatDateTime(lead.last_meeting_at)}>
                  {lead.last_meeting_at ? `Met ${formatRelative(lead.last_meeting_at)}` : "No meetings"}
                </span>
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function LeadLink({ teamId, lead }: { teamId: string; lead: Lead }) {
  return (
    <Link
      to={teamPath(teamId, `leads/${encodeURIComponent(lead.id)}`)}
      className="block truncate font-medium outline-none after:absolute after:inset-0 after:content-[''] focus-visible:underline"
    >
      {lead.name}
    </Link>
  );
}

function LeadEmails({ lead }: { lead: Lead }) {
  if (!lead.emails[0]) return null;
  return (
    <div className="truncate text-xs text-muted-foreground">
      {lead.emails[0]}
      {lead.emails.length > 1 && ` +${lead.emails.length - 1}`}
    </div>
  );
}

function Owner({ lead, owner }: { lead: Lead; owner: string | null | undefined }) {
  return owner ? (
    <span className="flex min-w-0 items-center gap-2">
      <Avatar name={owner} email={lead.owner_email} size="sm" />
      <span className="truncate">{owner}</span>
    </span>
  ) : (
    <Muted>Unassigned</Muted>
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
