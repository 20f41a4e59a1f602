// The `/<provider>/_sandbox/...` controls of issue 9's contract, the same for every provider of the family:
//   GET messages -> {messages}; GET revocations -> {revocations}; GET state -> provider's summary without secrets;
//   POST failures {target, kind, times?, retryAfterSeconds?, delayMs?} -> {failure}; DELETE failures -> {cleared};
//   POST settings (provider's schema) -> {settings}; POST reset -> {reset: true}.
// Errors: 400 {error: {code: "invalid_body", message}}, 404 {error: {code: "not_found", message}}.

import type { z } from "./deps.ts";
import { FailureRequest, type FailureSwitch } from "./failures.ts";
import { json, readJson } from "./http.ts";
import type { SandboxMessage, SandboxRevocation } from "./provider.ts";

export interface ControlHooks<S> {
  messages(): SandboxMessage[];
  revocations(): SandboxRevocation[];
  state(): unknown;
  failures: FailureSwitch;
  /** The provider's settings: a strict schema and what applying a valid body does (returns the new settings). */
  settings: { schema: z.ZodType<S>; apply(settings: S): unknown };
  reset(): void;
}

function controlError(status: number, code: string, message: string): Response {
  return json({ error: { code, message } }, status);
}

async function validBody<T>(req: Request, schema: z.ZodType<T>): Promise<{ value: T } | { error: Response }> {
  const body = await readJson(req);
  if (body === undefined) return { error: controlError(400, "invalid_body", "The body is not valid JSON") };
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return { error: controlError(400, "invalid_body", message) };
  }
  return { value: parsed.data };
}

/** `path` is what follows `/<provider>/_sandbox`, e.g. "/messages". */
export async function handleControls<S>(hooks: ControlHooks<S>, req: Request, path: string): Promise<Response> {
  switch (`${req.method} ${path}`) {
    case "GET /messages":
      return json({ messages: hooks.messages() });
    case "GET /revocations":
      return json({ revocations: hooks.revocations() });
    case "GET /state":
      return json(hooks.state());
    case "GET /failures":
      return json({ failures: hooks.failures.list() });
    case "POST /failures": {
      const body = await validBody(req, FailureRequest);
      if ("error" in body) return body.error;
      return json({ failure: hooks.failures.set(body.value) });
    }
    case "DELETE /failures":
      hooks.failures.clear();
      return json({ cleared: true });
    case "POST /settings": {
      const body = await validBody(req, hooks.settings.schema);
      if ("error" in body) return body.error;
      return json({ settings: hooks.settings.apply(body.value) });
    }
    case "POST /reset":
      hooks.reset();
      return json({ reset: true });
    default:
      return controlError(404, "not_found", `No sandbox control ${req.method} ${path}`);
  }
}
