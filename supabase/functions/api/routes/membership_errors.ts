// The team-membership rules the database enforces (migrations 20261202000100_team_membership.sql and
// 20261202000400_invites_are_accepted.sql) raise SQLSTATE P0001 with our error code in HINT; this turns them into the API's AppError, the same code and a sentence.
import { AppError, type ErrorCode } from "../../_shared/errors.ts";

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  last_owner: "A team keeps at least one owner: make someone else an owner first.",
  already_member: "This person is already a member of the team.",
  invite_exists: "This e-mail address has already been invited.",
  invalid_email: "email must be a valid e-mail address.",
  not_team_owner: "Only an owner can make, change or remove an owner.",
  not_team_admin: "Only a team owner or admin can do this.",
  email_not_confirmed: "Confirm your e-mail address first: open the link in the message we sent you.",
  invite_not_found: "This invitation does not exist, was revoked, or is not addressed to you.",
  too_many_invites: "A team can have at most 100 pending invitations: revoke some first.",
  too_many_teams: "You can create at most 10 teams a day. Please try again tomorrow.",
  team_limit: "You already own 50 teams, the most one person can own.",
  invalid_team_name: "name must not contain control or invisible formatting characters, and must show something.",
  unauthorized: "Sign in first.",
};

/** The AppError for a membership rule the database refused, or null when `err` is something else. */
export function membershipError(err: unknown): AppError | null {
  const e = err as { code?: string; hint?: string };
  if (e?.code !== "P0001" || !e.hint || !Object.hasOwn(MESSAGES, e.hint)) return null;
  const code = e.hint as ErrorCode;
  return new AppError(code, MESSAGES[code]!);
}

/** Runs `work`, rethrowing a refused membership rule as its AppError. */
export async function mappingMembershipErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw membershipError(err) ?? err;
  }
}

export const ownerOnly = () => new AppError("not_team_owner", MESSAGES.not_team_owner!);
