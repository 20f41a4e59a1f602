// Reads the parts of supabase/config.toml the local stack honours. No TOML parser is installed, and
// config.toml only uses the simple subset handled here: `[table.headers]`, `key = value` lines with
// strings, booleans, integers and single-line arrays, and `#` comments.

export type TomlValue = string | number | boolean | TomlValue[];
/** Table name as written in its header ("" for the root, "functions.api", "auth.email") -> keys. */
export type TomlTables = Map<string, Map<string, TomlValue>>;

export interface SupabaseLocalConfig {
  /** Per Supabase, a function's JWT is verified unless its table says `verify_jwt = false` exactly. */
  verifyJwt(functionName: string): boolean;
  auth: {
    jwtExpirySeconds: number;
    refreshTokenReuseIntervalSeconds: number;
    enableSignup: boolean;
    /** `[auth.email] enable_confirmations`: sign-up leaves the address unconfirmed until its link is opened. */
    enableConfirmations: boolean;
    /** `[auth] site_url`: where a confirmation link lands when no allowed `redirect_to` is given. */
    siteUrl: string;
    /** `[auth] additional_redirect_urls`: other allowed `redirect_to` targets. */
    additionalRedirectUrls: string[];
    /** `[auth.email] otp_expiry` (seconds): how long a confirmation link works. */
    otpExpirySeconds: number;
    /** `[auth.email] max_frequency` ("60s", "1m"): the least time between two confirmation mails to one address. */
    emailMaxFrequencySeconds: number;
  };
}

export function readSupabaseConfig(tomlText: string): SupabaseLocalConfig {
  const tables = parseTomlSubset(tomlText);
  const auth = tables.get("auth");
  const authEmail = tables.get("auth.email");
  return {
    verifyJwt: (name) => tables.get(`functions.${name}`)?.get("verify_jwt") !== false,
    auth: {
      jwtExpirySeconds: positiveInteger(auth?.get("jwt_expiry"), 3600),
      // GoTrue's default: a just-rotated refresh token may be replayed for 10 s (concurrent tabs).
      refreshTokenReuseIntervalSeconds: nonNegativeInteger(auth?.get("refresh_token_reuse_interval"), 10),
      enableSignup: authEmail?.get("enable_signup") !== false && auth?.get("enable_signup") !== false,
      // GoTrue's own default is off (autoconfirm); hosted Supabase turns it on, and so does our config.toml.
      enableConfirmations: authEmail?.get("enable_confirmations") === true,
      siteUrl: typeof auth?.get("site_url") === "string" ? auth.get("site_url") as string : "http://127.0.0.1:3000",
      additionalRedirectUrls: stringList(auth?.get("additional_redirect_urls")),
      otpExpirySeconds: positiveInteger(authEmail?.get("otp_expiry"), 3600),
      // GoTrue's SMTP_MAX_FREQUENCY default: one minute
      emailMaxFrequencySeconds: durationSeconds(authEmail?.get("max_frequency"), 60),
    },
  };
}

export function parseTomlSubset(text: string): TomlTables {
  const tables: TomlTables = new Map([["", new Map()]]);
  let current = tables.get("")!;
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = stripComment(rawLine).trim();
    if (line === "") return;
    const header = line.match(/^\[\s*([^\[\]]+?)\s*\]$/);
    if (header) {
      const name = header[1].split(".").map((part) => unquote(part.trim())).join(".");
      current = tables.get(name) ?? new Map();
      tables.set(name, current);
      return;
    }
    const assignment = line.match(/^("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*(.+)$/);
    if (!assignment) throw new Error(`config.toml line ${index + 1}: unsupported syntax`);
    current.set(unquote(assignment[1]), parseValue(assignment[2].trim(), index + 1));
  });
  return tables;
}

function parseValue(raw: string, lineNumber: number): TomlValue {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (/^[+-]?\d[\d_]*$/.test(raw)) return Number(raw.replaceAll("_", ""));
  if (/^"(?:[^"\\]|\\.)*"$/.test(raw)) return JSON.parse(raw) as string;
  if (/^'[^']*'$/.test(raw)) return raw.slice(1, -1);
  if (raw.startsWith("[") && raw.endsWith("]")) {
    const inner = raw.slice(1, -1).trim();
    if (inner === "") return [];
    return splitArrayItems(inner).map((item) => parseValue(item, lineNumber));
  }
  throw new Error(`config.toml line ${lineNumber}: unsupported value`);
}

function splitArrayItems(inner: string): string[] {
  const items: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i];
    if (quote) {
      if (char === "\\" && quote === '"') i++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === ",") {
      items.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = inner.slice(start).trim();
  if (last !== "") items.push(last); // TOML allows a trailing comma
  return items;
}

/** Drops a `#` comment, but not a `#` inside a string. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote) {
      if (char === "\\" && quote === '"') i++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === "#") {
      return line.slice(0, i);
    }
  }
  return line;
}

function unquote(key: string): string {
  return /^(".*"|'.*')$/.test(key) ? key.slice(1, -1) : key;
}

/** A Go duration of one unit ("1s", "60s", "5m", "1h"), as config.toml writes them, in seconds. */
function durationSeconds(value: TomlValue | undefined, fallback: number): number {
  const match = typeof value === "string" ? value.trim().match(/^(\d+)(s|m|h)$/) : null;
  if (!match) return fallback;
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"];
}

function stringList(value: TomlValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function positiveInteger(value: TomlValue | undefined, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
}

function nonNegativeInteger(value: TomlValue | undefined, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : fallback;
}
