// The local stack's outbox: where the Auth emulator "sends" its e-mails, as `supabase start` sends them to
// Inbucket/Mailpit. Dev only: it lives in the gateway (dev/), never in supabase/, so no deployed code can serve it.
// Held in memory: a gateway restart empties it, as a fresh Inbucket container would.
import { jsonResponse } from "./http.ts";

/** One message as `GET /_dev/mailbox?email=` returns it. Times are ISO 8601 strings. */
export interface MailMessage {
  id: string;
  /** The recipient, lower-case. */
  to: string;
  subject: string;
  text: string;
  sent_at: string;
  /** What the message asks the reader to open, by purpose (e.g. `confirmation`: the sign-up link). */
  links: Record<string, string>;
}

export interface Mailbox {
  deliver(message: Omit<MailMessage, "id" | "sent_at" | "to"> & { to: string }): MailMessage;
  /** A recipient's messages, newest first. */
  messagesFor(address: string): MailMessage[];
  /** Serves `GET /_dev/mailbox?email=<address>` -> 200 `{ messages: MailMessage[] }` (newest first). */
  handle(req: Request): Response;
}

export const MAILBOX_PATH = "/_dev/mailbox";
/** Oldest messages beyond this many per address are dropped: a dev outbox, not an archive. */
const KEEP_PER_ADDRESS = 50;

export function createMailbox(): Mailbox {
  const byAddress = new Map<string, MailMessage[]>();

  function deliver(input: Omit<MailMessage, "id" | "sent_at" | "to"> & { to: string }): MailMessage {
    const to = canonical(input.to);
    const message: MailMessage = { ...input, to, id: crypto.randomUUID(), sent_at: new Date().toISOString() };
    const list = [message, ...(byAddress.get(to) ?? [])].slice(0, KEEP_PER_ADDRESS);
    byAddress.set(to, list);
    return message;
  }

  function messagesFor(address: string): MailMessage[] {
    return [...(byAddress.get(canonical(address)) ?? [])];
  }

  function handle(req: Request): Response {
    // A page on another site can point a name it controls at 127.0.0.1 (DNS rebinding) and read this same-origin:
    // only a request addressed to this machine by name or address gets the links.
    if (!LOCAL_HOSTS.has(hostnameOf(req.headers.get("host") ?? new URL(req.url).host))) {
      return jsonResponse({ error: { code: "forbidden", message: "The dev mailbox answers 127.0.0.1 or localhost only" } }, 403);
    }
    if (req.method !== "GET") {
      return jsonResponse({ error: { code: "method_not_allowed", message: "Use GET" } }, 405, { allow: "GET" });
    }
    const address = new URL(req.url).searchParams.get("email")?.trim();
    if (!address) {
      return jsonResponse({ error: { code: "invalid_request", message: "Give the recipient: ?email=<address>" } }, 400);
    }
    return jsonResponse({ messages: messagesFor(address) }, 200, { "cache-control": "no-store" });
  }

  return { deliver, messagesFor, handle };
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The host name of a Host header value ("127.0.0.1:54321" -> "127.0.0.1", "[::1]:80" -> "[::1]"), lower case. */
function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  return h.startsWith("[") ? h.slice(0, h.indexOf("]") + 1) : h.split(":")[0];
}

function canonical(address: string): string {
  return address.trim().toLowerCase();
}
