import { useNavigate } from "react-router-dom";
import { Check, Loader2, MailOpen, X } from "lucide-react";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";
import { useInvitationAnswers } from "@/hooks/useInvitationAnswers";
import { useMyInvitations } from "@/hooks/useInvitations";
import { errorMessage } from "@/lib/errorMessages";
import { integrationsPath, storeTeamId } from "@/lib/teamSelection";
import type { Invitation, TeamRole } from "@/lib/types";
import { cn } from "@/lib/utils";

const ROLE_WORDS: Record<TeamRole, string> = { owner: "an owner", admin: "an admin", member: "a member" };

/**
 * The signed-in person's pending invitations (GET api/invitations) with Join and Decline. `variant` "page" is the
 * no-team screen's list; "banner" sits above a team's pages. Renders nothing while loading, on error, or when there
 * are none: the invitations are an offer, never in the way. Joining opens the team.
 */
export function PendingInvitations({ variant }: { variant: "page" | "banner" }) {
  const invitations = useMyInvitations();
  const { accept, decline } = useInvitationAnswers();
  const navigate = useNavigate();
  const list = invitations.data ?? [];
  if (list.length === 0) return null;

  const busyWith = (inv: Invitation) =>
    (accept.isPending && accept.variables === inv.id) || (decline.isPending && decline.variables === inv.id);

  // mutateAsync, not mutate's callbacks: on the no-team screen the refreshed teams list redirects (and unmounts this
  // list) before mutate's onSuccess would run, and the toast would be lost
  const join = async (inv: Invitation) => {
    try {
      const team = await accept.mutateAsync(inv.id);
      toast.success(`You joined ${team.name}`);
      storeTeamId(team.id);
      navigate(integrationsPath(team.id));
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };

  const refuse = (inv: Invitation) =>
    decline.mutate(inv.id, {
      onSuccess: () => {
        toast.success(`Invitation to ${inv.team_name} declined`);
        // its row (and the focused button) is gone: the list's heading, or the page when no invitation is left
        requestAnimationFrame(() =>
          (document.getElementById("invitations-heading") ?? document.querySelector<HTMLElement>("main"))?.focus(),
        );
      },
      onError: (e) => toast.error(errorMessage(e)),
    });

  return (
    <section
      aria-labelledby="invitations-heading"
      className={cn(
        "text-left",
        variant === "banner" ? "border-b border-border bg-muted/50 px-4 py-3 sm:px-6" : "mt-6 w-full",
      )}
    >
      <h2
        id="invitations-heading"
        tabIndex={-1}
        className="flex items-center gap-2 text-sm font-semibold text-foreground outline-none"
      >
        <MailOpen className="size-4" aria-hidden="true" />
        {list.length === 1 ? "You're invited to a team" : `You're invited to ${list.length} teams`}
      </h2>
      <ul className="mt-2 space-y-2">
        {list.map((inv) => {
          const busy = busyWith(inv);
          const inviter = inv.invited_by_name || inv.invited_by_email;
          return (
            <li
              key={inv.id}
              className="flex flex-wrap items-center gap-3 rounded-md border border-border bg-background px-3 py-2"
            >
              <div className="min-w-0 flex-1 basis-48 text-sm">
                <div className="break-words font-medium">{inv.team_name}</div>
                <div className="text-muted-foreground">
                  Join as {ROLE_WORDS[inv.role]}
                  {inviter && <> · invited by <span className="break-all">{inviter}</span></>}
                </div>
              </div>
              <div className="flex gap-2">
                <Button size="sm" disabled={busy} onClick={() => void join(inv)} aria-label={`Join ${inv.team_name}`}>
                  {busy && accept.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Check aria-hidden="true" />}
                  Join
                </Button>
                <Button
                  size="sm"
                  variant="outline"
                  disabled={busy}
                  onClick={() => refuse(inv)}
                  aria-label={`Decline the invitation to ${inv.team_name}`}
                >
                  <X aria-hidden="true" />
                  Decline
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
