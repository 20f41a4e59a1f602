import { useState } from "react";
import { Link } from "react-router-dom";
import { useQuery } from "@tanstack/react-query";
import { Link2, Loader2, Search, UserRound, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useDebouncedValue } from "@/hooks/useDebouncedValue";
import { leadsQueryKey } from "@/hooks/useLeads";
import { useMeetingLeadLinks } from "@/hooks/useMeetingCrm";
import { api } from "@/lib/api";
import { errorMessage } from "@/lib/errorMessages";
import { clipSearch, SEARCH_MAX_LENGTH } from "@/lib/search";
import { teamPath } from "@/lib/teamSelection";
import { toast } from "@/lib/toast";

/** How many matching leads the picker lists. */
export const PICKER_LIMIT = 10;

/**
 * The meeting page's leads: each links to its page and can be unlinked (with Undo in the toast); "Link to lead" opens
 * a picker that searches the team's leads (GET leads?q=) and links the one chosen (POST .../meetings/:id/leads).
 */
export function MeetingLeads({ teamId, meetingId, leads }: { teamId: string; meetingId: string; leads: { id: string; name: string }[] }) {
  const { link, unlink } = useMeetingLeadLinks(teamId, meetingId);
  const [pickerOpen, setPickerOpen] = useState(false);

  const doLink = (lead: { id: string; name: string }) =>
    link
      .mutateAsync(lead.id)
      .then(() => toast.success(`Linked to ${lead.name}`))
      .catch((err: unknown) => toast.error(`Couldn't link the lead: ${errorMessage(err)}`));

  const doUnlink = (lead: { id: string; name: string }) =>
    unlink
      .mutateAsync(lead.id)
      .then(() => toast.success(`Unlinked ${lead.name}`, { action: { label: "Undo", onClick: () => void doLink(lead) } }))
      .catch((err: unknown) => toast.error(`Couldn't unlink the lead: ${errorMessage(err)}`));

  return (
    <div className="flex flex-col gap-3">
      {leads.length > 0 ? (
        <ul className="flex flex-wrap gap-1.5" aria-label="Linked leads">
          {leads.map((l) => (
            <li
              key={l.id}
              className="inline-flex max-w-full items-center gap-0.5 rounded-full border border-border bg-background py-0.5 pl-2 pr-0.5 text-xs font-medium"
            >
              <UserRound className="size-3 shrink-0 text-muted-foreground" aria-hidden="true" />
              <Link to={teamPath(teamId, `leads/${encodeURIComponent(l.id)}`)} className="max-w-[10rem] truncate hover:underline">
                {l.name}
              </Link>
              <button
                type="button"
                className="ml-0.5 flex size-5 items-center justify-center rounded-full text-muted-foreground hover:bg-muted hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50"
                aria-label={`Unlink ${l.name}`}
                onClick={() => void doUnlink(l)}
                disabled={unlink.isPending}
              >
                <X className="size-3" aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-muted-foreground">No lead is linked to this meeting.</p>
      )}
      <Button variant="outline" size="sm" className="self-start" onClick={() => setPickerOpen(true)}>
        <Link2 aria-hidden="true" />
        Link to lead
      </Button>
      <Dialog open={pickerOpen} onOpenChange={setPickerOpen}>
        <DialogContent className="max-w-md">
          <DialogHeader>
            <DialogTitle>Link to lead</DialogTitle>
            <DialogDescription>The meeting shows on the lead's page and timeline.</DialogDescription>
          </DialogHeader>
          {pickerOpen && (
            <LeadPicker
              teamId={teamId}
              exclude={leads.map((l) => l.id)}
              pending={link.isPending}
              onPick={(lead) => {
                setPickerOpen(false);
                void doLink(lead);
              }}
            />
          )}
        </DialogContent>
      </Dialog>
    </div>
  );
}

function LeadPicker({
  teamId,
  exclude,
  pending,
  onPick,
}: {
  teamId: string;
  exclude: string[];
  pending: boolean;
  onPick: (lead: { id: string; name: string }) => void;
}) {
  const [q, setQ] = useState("");
  const search = useDebouncedValue(clipSearch(q.trim()) ?? "", 250);
  const results = useQuery({
    queryKey: [...leadsQueryKey(teamId), { picker: search }] as const,
    queryFn: () => api.listLeads(teamId, { q: search || undefined, sort: "name", limit: Math.min(200, PICKER_LIMIT + exclude.length) }),
  });
  const leads = (results.data?.leads ?? []).filter((l) => !exclude.includes(l.id)).slice(0, PICKER_LIMIT);
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="lead-picker-search">Find a lead</Label>
        <div className="relative">
          <Search className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
          <Input
            id="lead-picker-search"
            type="search"
            className="pl-8"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Name, company or e-mail"
            autoFocus
            autoComplete="off"
            maxLength={SEARCH_MAX_LENGTH}
          />
        </div>
      </div>
      <div aria-live="polite" className="min-h-24">
        {results.isError ? (
          <p role="alert" className="text-sm text-red-700">
            Couldn't search the leads: {errorMessage(results.error)}
          </p>
        ) : results.isPending ? (
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <Loader2 className="size-4 animate-spin" aria-hidden="true" />
            Searching…
          </p>
        ) : leads.length === 0 ? (
          <p className="text-sm text-muted-foreground">{search ? `No lead matches “${search}”.` : "No other leads yet."}</p>
        ) : (
          <ul className="flex max-h-72 flex-col gap-1 overflow-y-auto" aria-label="Matching leads">
            {leads.map((l) => (
              <li key={l.id}>
                <button
                  type="button"
                  className="flex w-full flex-col items-start rounded-md px-2 py-1.5 text-left hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50"
                  onClick={() => onPick({ id: l.id, name: l.name })}
                  disabled={pending}
                >
                  <span className="text-sm font-medium">{l.name}</span>
                  {(l.company || l.emails[0]) && (
                    <span className="text-xs text-muted-foreground">{[l.company, l.emails[0]].filter(Boolean).join(" · ")}</span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
