// Echoes what arrived, so the tests can see the rewritten URL, headers and body (verify_jwt = false).
export async function handler(req: Request): Promise<Response> {
  const url = new URL(req.url);
  return Response.json({
    method: req.method,
    pathname: url.pathname,
    search: url.search,
    header: req.headers.get("x-fixture"),
    body: req.body ? await req.text() : null,
  });
}
