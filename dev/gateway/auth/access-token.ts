// Access tokens in Supabase's format (docs/architecture.md, "Auth"): HS256, signed with the project secret.
import { SignJWT } from "jose";
import type { UserRow } from "./user-store.ts";

export interface AccessTokenInput {
  user: UserRow;
  sessionId: string;
  authenticatedAt: Date;
  issuer: string;
  key: Uint8Array;
  expiresInSeconds: number;
}

export interface AccessToken {
  token: string;
  expiresAt: number;
}

export async function mintAccessToken(input: AccessTokenInput): Promise<AccessToken> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + input.expiresInSeconds;
  const token = await new SignJWT({
    iss: input.issuer,
    sub: input.user.id,
    aud: input.user.aud ?? "authenticated",
    exp: expiresAt,
    iat: issuedAt,
    email: input.user.email ?? "",
    phone: "",
    app_metadata: input.user.raw_app_meta_data ?? {},
    user_metadata: input.user.raw_user_meta_data ?? {},
    role: input.user.role ?? "authenticated",
    aal: "aal1",
    amr: [{ method: "password", timestamp: Math.floor(input.authenticatedAt.getTime() / 1000) }],
    session_id: input.sessionId,
    is_anonymous: input.user.is_anonymous,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(input.key);
  return { token, expiresAt };
}
