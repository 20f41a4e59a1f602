// Whether a webhook endpoint's host is on the public internet (issue 11, attacker finding 1: SSRF). A send_webhook
// POST is made by the functions runtime, so a URL naming loopback, a private network, link-local (cloud metadata
// at 169.254.169.254), CGNAT, IPv6 unique-local and the like would let a team admin reach the project's own
// infrastructure, and "Test" with send would turn it into a port scanner.
//
// The ranges come from ipaddr.js (its IANA special-purpose tables, RFC 6890 and successors): an address is public
// when `ipaddr.process(addr).range() === "unicast"` (process() unwraps IPv4-mapped IPv6 first), and an IPv6 one
// also lies in 2000::/3, the only block IANA allocates for global unicast (so the deprecated IPv4-compatible
// `::7f00:1` is refused too). Host names are refused without a lookup when they are single labels (`db`,
// `metadata`) or under a special-use / internal suffix (`localhost`, `.local`, `.internal` as in
// metadata.google.internal, `home.arpa`, ...). At send time the name is resolved (A and AAAA) and every answer must
// be public: see `assertPublicHost`.
//
// The dev/test escape hatch: with AUTOMATION_ALLOW_HTTP_WEBHOOKS=1 loopback (127/8, ::1, localhost) is allowed, so
// the local stack and the e2e tests can post to a receiver on this machine. Nothing else non-public is, ever.
//
// Errors: AppError invalid_url (400) with the one sentence NOT_PUBLIC, whatever the reason, never naming the
// addresses a name resolved to (no oracle for what lies behind a name); a failed lookup throws
// EndpointLookupError (transient: errors.ts).
import ipaddr from "ipaddr.js";
import { AppError } from "../errors.ts";

export const NOT_PUBLIC = "The endpoint's address is not a public internet address.";

/** The same sentence for every refusal (see the top). */
export function notPublicError(): AppError {
  return new AppError("invalid_url", NOT_PUBLIC);
}

/** The endpoint's host name did not resolve (no A and no AAAA answer); its message is fixed, no names in it. */
export class EndpointLookupError extends Error {
  override readonly name = "EndpointLookupError";
  constructor() {
    super("The endpoint's host name could not be resolved.");
  }
}

/** AUTOMATION_ALLOW_HTTP_WEBHOOKS=1: local stack and tests only (docs/deploy.md). */
export function allowLoopbackWebhooks(): boolean {
  return Deno.env.get("AUTOMATION_ALLOW_HTTP_WEBHOOKS")?.trim() === "1";
}

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

// RFC 6761 / 6762 / 8375 special-use names, the ".internal" TLD ICANN reserved for private use (2024), and the
// private suffixes clouds and home routers answer for
const INTERNAL_SUFFIXES = ["localhost", "local", "internal", "localdomain", "home.arpa", "lan", "intranet", "corp", "test", "invalid", "onion", "arpa"];

/** `[::1]` -> `::1`; a WHATWG URL hostname, lower-cased, without a trailing dot. */
function bare(hostname: string): string {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  return h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
}

/** The address parsed when `host` is an IP literal (WHATWG URLs already spell IPv4 as dotted quads), else null. */
function ipLiteral(host: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  return ipaddr.isValid(host) && (ipaddr.IPv4.isValidFourPartDecimal(host) || ipaddr.IPv6.isValid(host))
    ? ipaddr.process(host)
    : null;
}

/** An address is public: ipaddr.js's "unicast" range (and global unicast for IPv6). Invalid text is not. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  if (ip.range() !== "unicast") return false;
  return ip.kind() === "ipv4" || (ip as ipaddr.IPv6).match(GLOBAL_UNICAST_V6);
}

/** A loopback address (127/8, ::1, ::ffff:127.x): allowed only with the escape hatch. */
export function isLoopbackAddress(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.process(address).range() === "loopback";
}

function isLoopbackName(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost");
}

function isInternalName(host: string): boolean {
  if (!host.includes(".")) return true;
  return INTERNAL_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

/**
 * Save-time check of a URL's hostname (no lookup): throws notPublicError() for a non-public IP literal or an
 * internal name; loopback passes when `allowLoopback`. Returns whether the host is loopback (the http rule needs it).
 */
export function checkHostName(hostname: string, allowLoopback = allowLoopbackWebhooks()): { loopback: boolean } {
  const host = bare(hostname);
  const ip = ipLiteral(host);
  if (ip) {
    const text = ip.toString();
    if (allowLoopback && isLoopbackAddress(text)) return { loopback: true };
    if (!isPublicAddress(text)) throw notPublicError();
    return { loopback: false };
  }
  if (allowLoopback && isLoopbackName(host)) return { loopback: true };
  if (isInternalName(host)) throw notPublicError();
  return { loopback: false };
}

/** Deno.resolveDns's shape, narrowed to what the send-time check asks; tests pass a stub. */
export type Resolver = (name: string, type: "A" | "AAAA") => Promise<string[]>;

/**
 * Deno.resolveDns (the Supabase edge runtime provides it: supabase/edge-runtime#9). It reads the system's
 * resolver configuration, not /etc/hosts, which is why `localhost` is never looked up (see assertPublicHost).
 */
export const systemResolver: Resolver = (name, type) => Deno.resolveDns(name, type);

/**
 * Send-time check: the hostname's own rule (checkHostName), then, for a name, every A and AAAA answer must be a
 * public address (loopback too with `allowLoopback`). A loopback name with the hatch on is not looked up (fetch
 * connects to this machine). Throws notPublicError() or EndpointLookupError (no answer at all: refused rather
 * than letting fetch resolve it again, maybe differently).
 *
 * What remains: fetch resolves the name again when it connects, so a DNS server answering differently within
 * those milliseconds (rebinding) is not caught here (docs/security.md).
 */
export async function assertPublicHost(
  hostname: string,
  options: { resolve?: Resolver; allowLoopback?: boolean } = {},
): Promise<void> {
  const allowLoopback = options.allowLoopback ?? allowLoopbackWebhooks();
  const host = bare(hostname);
  checkHostName(host, allowLoopback);
  if (ipLiteral(host) || (allowLoopback && isLoopbackName(host))) return;
  const resolve = options.resolve ?? systemResolver;
  const answers = await Promise.allSettled([resolve(host, "A"), resolve(host, "AAAA")]);
  const addresses = answers.flatMap((a) => (a.status === "fulfilled" ? a.value : []));
  if (addresses.length === 0) throw new EndpointLookupError();
  const ok = (a: string) => isPublicAddress(a) || (allowLoopback && isLoopbackAddress(a));
  if (!addresses.every(ok)) throw notPublicError();
}
