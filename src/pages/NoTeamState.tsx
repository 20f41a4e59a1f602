import { UsersRound } from "lucide-react";
import { EmptyState } from "@/components/FullPageState";
import { CreateTeamForm } from "@/components/CreateTeamForm";
import { PendingInvitations } from "@/components/PendingInvitations";

/** The home of someone in no team: their pending invitations to join, and a form to create a team. */
export function NoTeamState() {
  return (
    <EmptyState icon={<UsersRound className="size-5" aria-hidden="true" />} title="You're not a member of any team yet">
      <p>
        Ask a team owner or admin to invite you. Their invitation appears here when you're signed in with the address
        they invited; join it and your team's workspace opens.
      </p>
      <PendingInvitations variant="page" />
      <CreateTeamForm />
    </EmptyState>
  );
}

export default NoTeamState;
