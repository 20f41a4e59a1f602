// Fixtures for the chat tests: a fake Slack/Discord webhook endpoint (Deno.serve on a free port) whose answers a test
// scripts, a team with an admin and a member, a connected chat integration whose destination secret is set by
// hand (as the OAuth engine stores it), and a console capture for "no secret in any log line".
import { encryptSecret, integrationAad } from "../_shared/crypto.ts";
import { ADMIN, MEMBER, sql } from "./helpers.ts";

export interface Received {
  path: string;
  search: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A scripted answer: status, body (string as is, anything else as JSON) and headers. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeChat {
  base: string;
  received: Received[];
  /** answers for the next requests, in order; when none is left: Slack 200 `ok`, Discord 200 with a message */
  script(...answers: Answer[]): void;
  reset(): void;
  close(): Promise<void>;
}

export function startFakeChat(): FakeChat {
  const queue: Answer[] = [];
  const received: Received[] = [];
  const controller = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} },
    async (req) => {
      const url = new URL(req.url);
      let body: Record<string, unknown> = {};
      try {
        body = await req.json();
      } catch {
        // recorded as {}
      }
      received.push({ path: url.pathname, search: url.search, headers: req.headers, body });
      const answer = queue.shift() ??
        (url.pathname.startsWith("/discord/")
          ? { status: 200, body: { id: "1", channel_id: "2", content: "" } }
          : { status: 200, body: "ok" });
      const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? {});
      const type = typeof answer.body === "string" ? "text/plain" : "application/json";
      return new Response(text, { status: answer.status, headers: { "content-type": type, ...answer.headers } });
    },
  );
  const base = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  return {
    base,
    received,
    script: (...answers) => queue.push(...answers),
    reset: () => {
      queue.length = 0;
      received.length = 0;
    },
    close: async () => {
      controller.abort();
      await server.finished;
    },
  };
}

/** A team owned by ADMIN with MEMBER as a plain member. */
export async function createChatTeam(name = "Acme Sales"): Promise<string> {
  const teamId = crypto.randomUUID();
  await sql`insert into public.teams (id, name) values (${teamId}, ${name})`;
  await sql`insert into public.team_members (team_id, user_id, role)
            values (${teamId}, ${ADMIN}, 'owner'), (${teamId}, ${MEMBER}, 'member')`;
  return teamId;
}

export async function dropChatTeam(teamId: string): Promise<void> {
  await sql`delete from public.teams where id = ${teamId}`;
}

/** A connected integration whose destination secret is `secret` (encrypted as the contract says). Returns its id. */
export async function connectChat(
  teamId: string,
  provider: "slack" | "discord" | "fathom",
  secret: Record<string, string> | null,
  destination: Record<string, string | null> | null = { channel: "#sales", channelId: "C1", workspace: "Acme", workspaceId: "T1" },
): Promise<string> {
  const [row] = await sql`
    insert into public.team_integrations (team_id, provider, status, account_name, scopes, access_token_encrypted,
      connected_by, connected_at, destination, destination_secret_encrypted)
    values (${teamId}, ${provider}, 'connected', 'Acme', '{}',
      ${await encryptSecret("access", integrationAad(teamId, provider, "access_token"))}, ${ADMIN}, now(),
      ${destination === null ? null : sql.json(destination)},
      ${secret === null ? null : await encryptSecret(JSON.stringify(secret), integrationAad(teamId, provider, "destination"))})
    returning id`;
  return row.id;
}

/** A loopback port nothing listens on (taken from the system, then released): posting there fails to connect. */
export function closedPort(): number {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Every console line written while `fn` runs (and `fn`'s result or error). */
export async function captureConsole<T>(fn: () => Promise<T>): Promise<{ lines: string[]; result?: T; error?: unknown }> {
  const lines: string[] = [];
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    return { lines, result: await fn() };
  } catch (error) {
    return { lines, error };
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]));
  }
}
