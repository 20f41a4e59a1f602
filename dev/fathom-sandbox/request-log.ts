// What "Fathom" received, for tests in other processes. Secrets never reach the log.

export interface LoggedRequest {
  id: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  content_type: string | null;
  body: unknown;
  status: number;
  duration_ms: number;
}

const SECRET_KEY = /secret|token|code|password|api_key|authorization/i;
const MAX_ENTRIES = 2000;
const REDACTED = "[redacted]";

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v)]),
    );
  }
  return value;
}

function paramsToObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

async function readLoggableBody(req: Request): Promise<unknown> {
  if (req.method === "GET" || req.method === "HEAD") return null;
  const text = await req.text();
  if (text === "") return null;
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return paramsToObject(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    // Unparseable bodies are kept short and can still carry secrets, so only their size is logged.
    return { unparsed_bytes: text.length };
  }
}

export interface RequestLog {
  /** Reads a clone of the request now; call the returned function with the response status and duration. */
  start(req: Request, nowMs: number): Promise<(status: number, durationMs: number) => void>;
  entries(): LoggedRequest[];
  clear(): void;
}

export function createRequestLog(): RequestLog {
  let entries: LoggedRequest[] = [];
  let nextId = 1;
  return {
    async start(req, nowMs) {
      const url = new URL(req.url);
      const body = redact(await readLoggableBody(req.clone()));
      return (status, durationMs) => {
        entries.push({
          id: nextId++,
          time: new Date(nowMs).toISOString(),
          method: req.method,
          path: url.pathname,
          query: redact(paramsToObject(url.searchParams)) as Record<string, string | string[]>,
          content_type: req.headers.get("content-type"),
          body,
          status,
          duration_ms: Math.max(0, Math.round(durationMs)),
        });
        if (entries.length > MAX_ENTRIES) entries = entries.slice(-MAX_ENTRIES);
      };
    },
    entries: () => entries.map((e) => ({ ...e })),
    clear: () => {
      entries = [];
    },
  };
}
