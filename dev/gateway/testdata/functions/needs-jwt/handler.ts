// Echoes the claims of the JWT the gateway verified (verify_jwt is on for this function).
import { decodeJwt } from "jose";

export async function handler(req: Request): Promise<Response> {
  const token = req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
  const url = new URL(req.url);
  return Response.json({
    method: req.method,
    pathname: url.pathname,
    claims: req.method === "OPTIONS" ? null : decodeJwt(token),
    body: req.body ? await req.text() : null,
  });
}
