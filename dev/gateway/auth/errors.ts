// GoTrue's error answers. supabase-js reads `code` as the error code when the response says it speaks
// API version 2024-01-01 (and the request asked for it), and `error_code`/`msg` otherwise.

export const API_VERSION_HEADER = "x-supabase-api-version";
export const API_VERSION_2024_01_01 = "2024-01-01";

export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AuthError";
  }
}

export const invalidCredentials = () => new AuthError(400, "invalid_credentials", "Invalid login credentials");
export const validationFailed = (message: string) => new AuthError(400, "validation_failed", message);
export const noAuthorization = () =>
  new AuthError(401, "no_authorization", "This endpoint requires a valid Bearer token");
export const badJwt = (detail: string) => new AuthError(403, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${detail}`);

/** True when the client asked for the 2024-01-01 API (supabase-js always does). */
export function wantsVersionedErrors(req: Request): boolean {
  const asked = req.headers.get(API_VERSION_HEADER);
  return asked !== null && /^\d{4}-\d{2}-\d{2}$/.test(asked) && asked >= API_VERSION_2024_01_01;
}

export function authErrorBody(error: AuthError, versioned: boolean): Record<string, unknown> {
  return versioned
    ? { code: error.code, message: error.message, ...error.extra }
    : { code: error.status, error_code: error.code, msg: error.message, ...error.extra };
}
