// auth.sessions and auth.refresh_tokens, with GoTrue's rotation rules: a refresh token is single-use,
// its successor records it as `parent`, and replaying a used one outside the reuse interval revokes
// the whole session's family. Every transaction here is a few statements on one connection and never
// awaits anything else: the local database may serialize sessions (PGlite).
import type postgres from "postgres";
import { guardedBegin } from "../../../supabase/functions/_shared/pg-transaction.ts";
import { encodeBase64Url } from "./base64url.ts";

type Sql = postgres.Sql | postgres.TransactionSql;

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
}

export interface IssuedSession {
  sessionId: string;
  userId: string;
  /** When the user authenticated (the `amr` timestamp); refreshes keep it. */
  authenticatedAt: Date;
  refreshToken: string;
}

export type RotationResult =
  | { outcome: "rotated"; session: IssuedSession }
  | { outcome: "not_found" }
  | { outcome: "already_used" };

export type LogoutScope = "local" | "global" | "others";

/** Random, URL-safe, like GoTrue's. Stored as is, as GoTrue does, so the table stays compatible. */
function newRefreshToken(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(24)));
}

/** Opens a session and its first refresh token; run it inside the caller's transaction. */
export async function startSession(tx: Sql, userId: string): Promise<IssuedSession> {
  const [session] = await tx<SessionRow[]>`
    insert into auth.sessions (user_id) values (${userId}) returning id, user_id, created_at`;
  const refreshToken = newRefreshToken();
  await tx`
    insert into auth.refresh_tokens (token, user_id, session_id)
    values (${refreshToken}, ${userId}, ${session.id})`;
  return { sessionId: session.id, userId, authenticatedAt: session.created_at, refreshToken };
}

export async function findSession(sql: Sql, sessionId: string): Promise<SessionRow | undefined> {
  const [session] = await sql<SessionRow[]>`
    select id, user_id, created_at from auth.sessions where id = ${sessionId}`;
  return session;
}

export function rotateRefreshToken(
  sql: postgres.Sql,
  presented: string,
  reuseIntervalSeconds: number,
): Promise<RotationResult> {
  return guardedBegin(sql, async (tx): Promise<RotationResult> => {
    const [current] = await tx<
      { token: string; user_id: string; revoked: boolean; session_id: string | null; revoked_recently: boolean; session_created_at: Date | null }[]
    >`
      select rt.token, rt.user_id, rt.revoked, rt.session_id,
             rt.updated_at > now() - make_interval(secs => ${reuseIntervalSeconds}) as revoked_recently,
             s.created_at as session_created_at
      from auth.refresh_tokens rt left join auth.sessions s on s.id = rt.session_id
      where rt.token = ${presented}
      for update of rt`;
    if (!current || !current.session_id || !current.session_created_at) return { outcome: "not_found" };

    const issued = (refreshToken: string): RotationResult => ({
      outcome: "rotated",
      session: {
        sessionId: current.session_id!,
        userId: current.user_id,
        authenticatedAt: current.session_created_at!,
        refreshToken,
      },
    });

    if (current.revoked) {
      // Two tabs refreshing at once both present the same token: within the interval the loser
      // gets the winner's successor instead of being logged out.
      if (reuseIntervalSeconds > 0 && current.revoked_recently) {
        const [successor] = await tx<{ token: string }[]>`
          select token from auth.refresh_tokens
          where parent = ${presented} and revoked = false order by id desc limit 1`;
        if (successor) return issued(successor.token);
      }
      // Replay of a used token: assume theft and end every token of that session.
      await tx`
        update auth.refresh_tokens set revoked = true, updated_at = now()
        where session_id = ${current.session_id} and revoked = false`;
      return { outcome: "already_used" };
    }

    const successor = newRefreshToken();
    await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where token = ${presented}`;
    await tx`
      insert into auth.refresh_tokens (token, user_id, session_id, parent)
      values (${successor}, ${current.user_id}, ${current.session_id}, ${presented})`;
    await tx`update auth.sessions set updated_at = now() where id = ${current.session_id}`;
    return issued(successor);
  });
}

/** Ends sessions as GoTrue's /logout does: the rows go, and their refresh tokens with them (cascade). */
export async function endSessions(sql: Sql, userId: string, sessionId: string, scope: LogoutScope): Promise<void> {
  if (scope === "local") {
    await sql`delete from auth.sessions where id = ${sessionId} and user_id = ${userId}`;
  } else if (scope === "global") {
    await sql`delete from auth.sessions where user_id = ${userId}`;
  } else {
    await sql`delete from auth.sessions where user_id = ${userId} and id <> ${sessionId}`;
  }
}
