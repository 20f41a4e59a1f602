// The legacy Supabase API keys: long-lived HS256 JWTs that carry only a role, signed with the
// project's JWT secret. The local stack derives them from SUPABASE_JWT_SECRET instead of storing them.
import { SignJWT } from "jose";

const TEN_YEARS_IN_SECONDS = 10 * 365 * 24 * 60 * 60;

export interface ApiKeys {
  anonKey: string;
  serviceRoleKey: string;
}

export async function makeApiKeys(secret: string): Promise<ApiKeys> {
  const key = new TextEncoder().encode(secret);
  const issuedAt = Math.floor(Date.now() / 1000);
  const signRoleKey = (role: "anon" | "service_role") =>
    new SignJWT({ iss: "supabase-demo", role })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + TEN_YEARS_IN_SECONDS)
      .sign(key);
  const [anonKey, serviceRoleKey] = await Promise.all([signRoleKey("anon"), signRoleKey("service_role")]);
  return { anonKey, serviceRoleKey };
}
