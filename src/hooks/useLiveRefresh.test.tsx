import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, renderHook, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { api } from "@/test/apiMock";
import { TEAM_ID, lead } from "@/test/fixtures";
import { LIVE_REFRESH_MS } from "./useLiveRefresh";
import { useLeads } from "./useLeads";
import { useLead } from "./useLead";
import { useMeetingSync } from "./useFathomSync";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

beforeEach(() => {
  vi.clearAllMocks();
  vi.useFakeTimers({ shouldAdvanceTime: true });
  api.listLeads.mockResolvedValue({ leads: [lead()], next_cursor: null });
  api.getLead.mockResolvedValue({ lead: lead(), meetings: [], meetings_total: 0 });
  // a finished import: before, nothing re-read it until a reload
  api.getMeetingSync.mockResolvedValue({ sync: { status: "completed" }, inbox: null });
});
afterEach(() => vi.useRealTimers());

const cases: [string, () => { isSuccess: boolean }, () => { mock: { calls: unknown[] } }][] = [
  ["the leads list", () => useLeads(TEAM_ID), () => api.listLeads],
  ["the lead page", () => useLead(TEAM_ID, lead().id), () => api.getLead],
  ["the idle import panel", () => useMeetingSync(TEAM_ID, "fathom"), () => api.getMeetingSync],
];

describe("live refresh while the tab is visible", () => {
  it.each(cases)("%s is re-read every few seconds", async (_name, hook, fn) => {
    const { result } = renderHook(hook, { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const calls = fn().mock.calls.length;
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS * 2 + 100));
    expect(fn().mock.calls.length).toBeGreaterThanOrEqual(calls + 2);
  });
});
