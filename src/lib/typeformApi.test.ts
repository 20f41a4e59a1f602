import { beforeEach, describe, expect, it, vi } from "vitest";
import { request } from "@/test/apiMock";
import { typeformApi } from "./typeformApi";

vi.mock("@/lib/api", () => import("@/test/apiMock"));

beforeEach(() => vi.clearAllMocks());

describe("typeformApi", () => {
  it("reads a left webhook's refusal time only with webhook_left, and the detail's counts only as whole numbers", async () => {
    request.mockResolvedValueOnce({
      forms: [
        { form_id: "a", title: "A", webhook_left: true, webhook_refused_at: "2026-12-01T01:05:00Z" },
        { form_id: "b", title: "B", webhook_left: false, webhook_refused_at: "2026-12-01T01:05:00Z" },
        { form_id: "c", title: "C", webhook_left: true, webhook_refused_at: 7 },
      ],
    });
    const { forms } = await typeformApi.listForms("t");
    expect(forms.map((f) => [f.form_id, f.webhook_left, f.webhook_refused_at])).toEqual([
      ["a", true, "2026-12-01T01:05:00Z"],
      ["b", false, null],
      ["c", true, null],
    ]);

    request.mockResolvedValueOnce({ form: { form_id: "a", title: "A", past_responses: 5, known_responses: 3 } });
    expect(await typeformApi.getForm("t", "a")).toMatchObject({ past_responses: 5, known_responses: 3 });
    request.mockResolvedValueOnce({ form: { form_id: "a", title: "A", past_responses: -1, known_responses: "3" } });
    expect(await typeformApi.getForm("t", "a")).toMatchObject({ past_responses: null, known_responses: null });
  });
});
