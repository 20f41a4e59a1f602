import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ConditionRow } from "./ConditionRow";

describe("ConditionRow: event source", () => {
  it("offers the providers a lead can come from (Fathom, Zoom, Typeform) beside import, webhook, person, automation", async () => {
    const onChange = vi.fn();
    render(
      <ul>
        <ConditionRow
          index={0}
          condition={{ key: "k1", field: "event.source", op: "in", value: ["import"] } as never}
          fields={[{ field: "event.source", label: "Event source", ops: ["in"] }]}
          members={[]}
          disabled={false}
          errorFor={() => null}
          onChange={onChange}
          onRemove={() => {}}
        />
      </ul>,
    );
    const boxes = screen.getAllByRole("checkbox").map((b) => b.closest("label")?.textContent);
    expect(boxes).toEqual(["Import", "Webhook", "A person", "An automation", "Fathom", "Zoom", "Typeform"]);
    await userEvent.click(screen.getByRole("checkbox", { name: "Typeform" }));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ value: ["import", "typeform"] }));
  });
});
