import { useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { Loader2, LogOut, MailPlus, UserMinus } from "lucide-react";
import { toast } from "@/lib/toast";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorAlert } from "@/components/ErrorAlert";
import { useMembers } from "@/hooks/useMembers";
import { RememberOpener, useReturnFocus } from "@/hooks/useReturnFocus";
import { useSession } from "@/hooks/useSession";
import { useInvites, useMembershipMutations } from "@/hooks/useTeamMembers";
import { errorMessage } from "@/lib/errorMessages";
import type { Member, TeamInvite, TeamRole } from "@/lib/types";
import { useCurrentTeam } from "./TeamLayout";

export const ROLE_LABELS: Record<TeamRole, string> = { owner: "Owner", admin: "Admin", member: "Member" };

const isAdminRole = (role: TeamRole) => role === "owner" || role === "admin";

/** What the caller may do to a member's row: the database's rules (RLS), mirrored to show only what will work. */
export function canManage(me: TeamRole, target: TeamRole): boolean {
  return isAdminRole(me) && (target !== "owner" || me === "owner");
}

/** The roles the caller may give: only an owner makes owners. */
export function assignableRoles(me: TeamRole): TeamRole[] {
  return me === "owner" ? ["owner", "admin", "member"] : isAdminRole(me) ? ["admin", "member"] : [];
}

const displayName = (m: Pick<Member, "full_name" | "email">) => m.full_name?.trim() || m.email || "Unknown";

type Pending = { kind: "remove" | "leave"; member: Member } | { kind: "revoke"; invite: TeamInvite };

/** /teams/:teamId/members: everyone sees the team; owners and admins change roles, remove, invite and revoke. */
export function MembersPage() {
  const team = useCurrentTeam();
  const { session } = useSession();
  const me = session?.user.id;
  const navigate = useNavigate();
  const members = useMembers(team.id, { live: true });
  const admin = isAdminRole(team.role);
  const invites = useInvites(team.id, admin);
  const m = useMembershipMutations(team.id);
  const [pending, setPending] = useState<Pending | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const invitesHeadingRef = useRef<HTMLHeadingElement>(null);
  // where focus goes when the dialog closes after its row is gone (the opener went with it): a list's heading
  const afterRemoval = useRef<HTMLElement | null>(null);
  const returnFocus = useReturnFocus({
    onCloseAutoFocus: (event) => {
      const target = afterRemoval.current;
      afterRemoval.current = null;
      if (target) {
        event.preventDefault();
        target.focus();
      }
    },
  });

  const confirm = () => {
    if (!pending) return;
    if (pending.kind === "revoke") {
      const { invite } = pending;
      m.revoke.mutate(invite.id, {
        onSuccess: () => toast.success(`Invite for ${invite.email} revoked`),
        onError: (e) => toast.error(errorMessage(e)),
      });
      afterRemoval.current = invitesHeadingRef.current;
      return;
    }
    const { member, kind } = pending;
    afterRemoval.current = headingRef.current;
    m.remove.mutate(member.user_id, {
      onSuccess: () => {
        if (kind === "leave") {
          toast.success(`You left ${team.name}`);
          navigate("/", { replace: true });
        } else {
          toast.success(`${displayName(member)} was removed from ${team.name}`);
        }
      },
      onError: (e) => toast.error(errorMessage(e)),
    });
  };

  const changeRole = (member: Member, role: TeamRole) => {
    m.changeRole.mutate(
      { userId: member.user_id, role },
      {
        onSuccess: (updated) => toast.success(`${displayName(updated)} is now ${ROLE_LABELS[updated.role].toLowerCase()}`),
        onError: (e) => toast.error(errorMessage(e)),
      },
    );
  };

  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-8 md:px-8">
      <div className="mb-6">
        <h1 className="text-2xl font-semibold tracking-tight">Members</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Who is in <span className="font-medium text-foreground">{team.name}</span>, and what they can do.
        </p>
      </div>

      {admin && <InviteForm teamRole={team.role} invite={m.invite} />}

      <section aria-labelledby="members-heading" className="mt-8">
        <h2 id="members-heading" ref={headingRef} tabIndex={-1} className="mb-3 text-base font-semibold outline-none">
          {members.data ? `${members.data.length} ${members.data.length === 1 ? "member" : "members"}` : "Members"}
        </h2>
        {members.isPending ? (
          <div className="space-y-2">
            <Skeleton className="h-14 w-full" />
            <Skeleton className="h-14 w-full" />
          </div>
        ) : members.isError ? (
          <ErrorAlert title="Couldn't load the members" error={members.error} onRetry={() => members.refetch()} />
        ) : (
          <ul className="divide-y divide-border rounded-lg border border-border">
            {members.data.map((member) => {
              const self = member.user_id === me;
              const manage = !self && canManage(team.role, member.role);
              const roles = assignableRoles(team.role);
              const ownRoleEditable = self && canManage(team.role, member.role);
              const name = displayName(member);
              return (
                <li key={member.user_id} className="flex flex-wrap items-center gap-3 px-4 py-3">
                  <Avatar name={member.full_name} email={member.email} colorKey={member.user_id} />
                  <div className="min-w-0 flex-1 basis-40">
                    <div className="truncate text-sm font-medium">
                      {name}
                      {self && <span className="ml-1.5 text-muted-foreground">(you)</span>}
                    </div>
                    {member.full_name?.trim() && (
                      <div className="truncate text-xs text-muted-foreground">{member.email}</div>
                    )}
                  </div>
                  <div className="flex items-center gap-2">
                    {(manage || ownRoleEditable) && roles.includes(member.role) ? (
                      <NativeSelect
                        aria-label={`Role of ${name}`}
                        className="w-28"
                        value={member.role}
                        disabled={m.changeRole.isPending}
                        onChange={(e) => changeRole(member, e.target.value as TeamRole)}
                      >
                        {roles.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </NativeSelect>
                    ) : (
                      <span className="w-28 px-3 text-sm text-muted-foreground" aria-label={`Role: ${ROLE_LABELS[member.role]}`}>
                        {ROLE_LABELS[member.role]}
                      </span>
                    )}
                    {self ? (
                      <Button
                        variant="outline"
                        size="sm"
                        className="w-[6.5rem]"
                        onClick={() => setPending({ kind: "leave", member })}
                      >
                        <LogOut aria-hidden="true" />
                        Leave
                      </Button>
                    ) : manage ? (
                      <Button
                        variant="outline"
                        size="sm"
                        className="w-[6.5rem] text-red-700 hover:text-red-800"
                        aria-label={`Remove ${name}`}
                        onClick={() => setPending({ kind: "remove", member })}
                      >
                        <UserMinus aria-hidden="true" />
                        Remove
                      </Button>
                    ) : (
                      <span className="hidden w-[6.5rem] sm:block" aria-hidden="true" />
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {admin && (
        <section aria-labelledby="invites-heading" className="mt-8">
          <h2 id="invites-heading" ref={invitesHeadingRef} tabIndex={-1} className="mb-3 text-base font-semibold outline-none">
            Pending invites
          </h2>
          {invites.isPending ? (
            <Skeleton className="h-12 w-full" />
          ) : invites.isError ? (
            <ErrorAlert title="Couldn't load the invites" error={invites.error} onRetry={() => invites.refetch()} />
          ) : invites.data.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              No pending invites. People you invite appear here until they accept or decline.
            </p>
          ) : (
            <ul className="divide-y divide-border rounded-lg border border-border">
              {invites.data.map((invite) => (
                <li key={invite.id} className="flex flex-wrap items-center gap-3 px-4 py-3">
                  <div className="min-w-0 flex-1 basis-40">
                    <div className="truncate text-sm font-medium">{invite.email}</div>
                    <div className="text-xs text-muted-foreground">
                      {ROLE_LABELS[invite.role]}
                      {invite.invited_by_email && ` · invited by ${invite.invited_by_email}`}
                    </div>
                  </div>
                  <Button
                    variant="outline"
                    size="sm"
                    aria-label={`Revoke the invite for ${invite.email}`}
                    onClick={() => setPending({ kind: "revoke", invite })}
                  >
                    Revoke
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <AlertDialog open={pending !== null} onOpenChange={(open) => !open && setPending(null)}>
        <AlertDialogContent onCloseAutoFocus={returnFocus.onCloseAutoFocus}>
          <RememberOpener openerRef={returnFocus.openerRef} />
          {pending && <ConfirmText pending={pending} teamName={team.name} />}
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction className="bg-destructive text-white hover:bg-destructive/90" onClick={confirm}>
              {pending?.kind === "leave" ? "Leave team" : pending?.kind === "revoke" ? "Revoke invite" : "Remove"}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}

function ConfirmText({ pending, teamName }: { pending: Pending; teamName: string }) {
  if (pending.kind === "revoke") {
    return (
      <AlertDialogHeader>
        <AlertDialogTitle>Revoke the invite for {pending.invite.email}?</AlertDialogTitle>
        <AlertDialogDescription>They can no longer join {teamName} with it. You can invite them again later.</AlertDialogDescription>
      </AlertDialogHeader>
    );
  }
  const name = displayName(pending.member);
  return (
    <AlertDialogHeader>
      <AlertDialogTitle>{pending.kind === "leave" ? `Leave ${teamName}?` : `Remove ${name}?`}</AlertDialogTitle>
      <AlertDialogDescription>
        {pending.kind === "leave"
          ? "You lose access to its leads, meetings and integrations until someone invites you again."
          : `${name} loses access to ${teamName}'s leads, meetings and integrations. Leads they own keep their owner.`}
      </AlertDialogDescription>
    </AlertDialogHeader>
  );
}

function InviteForm({
  teamRole,
  invite,
}: {
  teamRole: TeamRole;
  invite: ReturnType<typeof useMembershipMutations>["invite"];
}) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<TeamRole>("member");
  const [error, setError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const roles = assignableRoles(teamRole);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    // the server applies the e-mail rule; this only spares a round trip for an obviously empty field
    if (!address) {
      setError("Enter an e-mail address.");
      emailRef.current?.focus();
      return;
    }
    setError(null);
    invite.mutate(
      { email: address, role },
      {
        onSuccess: (result) => {
          setEmail("");
          toast.success(`Invitation sent to ${result.invite.email}: they join when they accept it`);
          emailRef.current?.focus();
        },
        onError: (e) => {
          setError(errorMessage(e));
          emailRef.current?.focus();
        },
      },
    );
  };

  return (
    <section aria-labelledby="invite-heading" className="rounded-lg border border-border p-4">
      <h2 id="invite-heading" className="text-base font-semibold">
        Invite by e-mail
      </h2>
      <p className="mt-1 text-sm text-muted-foreground">
        The person sees the invitation when they sign in with this address (once it is confirmed) and joins when they
        accept it. Members work with leads and meetings; admins also manage members, invites and integrations; owners
        also manage owners.
      </p>
      <form className="mt-3 flex flex-wrap items-end gap-3" onSubmit={submit} noValidate>
        <div className="min-w-0 flex-1 basis-56">
          <Label htmlFor="invite-email">E-mail</Label>
          <Input
            id="invite-email"
            ref={emailRef}
            type="email"
            autoComplete="off"
            maxLength={320}
            placeholder="name@example.com"
            value={email}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "invite-error" : undefined}
            onChange={(e) => setEmail(e.target.value)}
            className="mt-1"
          />
        </div>
        <div className="w-36">
          <Label htmlFor="invite-role">Role</Label>
          <NativeSelect id="invite-role" className="mt-1" value={role} onChange={(e) => setRole(e.target.value as TeamRole)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button type="submit" disabled={invite.isPending}>
          {invite.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <MailPlus aria-hidden="true" />}
          Invite
        </Button>
      </form>
      {error && (
        <p id="invite-error" role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </section>
  );
}
