// The one helper provider hooks use to call a provider's API with the new token: GET, bearer, JSON, abortable.
export async function getJson(url: string, accessToken: string, signal: AbortSignal, headers: HeadersInit = {}) {
  const response = await fetch(url, {
    headers: { ...headers, authorization: `Bearer ${accessToken}`, accept: "application/json" },
    signal,
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET ${new URL(url).pathname} answered ${response.status}`);
  }
  return await response.json() as Record<string, unknown>;
}

export const str = (value: unknown): string | null => typeof value === "string" && value ? value : null;
