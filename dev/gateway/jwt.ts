// HS256 verification with the project's JWT secret: what Supabase's gateway (verify_jwt) and GoTrue do
// for legacy symmetric keys.
import { errors, type JWTPayload, jwtVerify } from "jose";

export type JwtCheck =
  | { ok: true; claims: JWTPayload }
  | { ok: false; reason: string };

export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}

export async function verifyHs256(token: string, key: Uint8Array): Promise<JwtCheck> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"] });
    return { ok: true, claims: payload };
  } catch (error) {
    return { ok: false, reason: describeJwtFailure(error) };
  }
}

function describeJwtFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "token has invalid claims: token is expired";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "signature is invalid";
  if (error instanceof errors.JOSEAlgNotAllowed) return "signing method is not allowed";
  return "token is malformed";
}
