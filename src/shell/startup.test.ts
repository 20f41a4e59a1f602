import { afterEach, describe, expect, it, vi } from "vitest";
import { nextTask, runInTasks } from "./startup";

afterEach(() => vi.unstubAllGlobals());

describe("runInTasks", () => {
  it("runs the steps in order, each in a macrotask of its own (never in the caller's task)", async () => {
    const log: string[] = [];
    const done = runInTasks(["a", "b", "c"].map((name) => () => {
      log.push(name);
      // a microtask queued by a step runs before the next step: the next one is a new task
      queueMicrotask(() => log.push(`${name}'s microtask`));
    }));
    log.push("caller");
    await Promise.resolve();
    expect(log).toEqual(["caller"]);
    await done;
    expect(log).toEqual(["caller", "a", "a's microtask", "b", "b's microtask", "c", "c's microtask"]);
  });

  it("reports a step that throws and still runs the next", async () => {
    const reported: unknown[] = [];
    vi.stubGlobal("reportError", (error: unknown) => reported.push(error));
    const ran: string[] = [];
    const failure = new Error("boom");
    await runInTasks([
      () => {
        throw failure;
      },
      () => ran.push("next"),
    ]);
    expect(reported).toEqual([failure]);
    expect(ran).toEqual(["next"]);
  });
});

describe("nextTask", () => {
  it("resolves after the microtasks queued before it", async () => {
    const log: string[] = [];
    const waiting = nextTask().then(() => log.push("task"));
    void Promise.resolve().then(() => log.push("microtask"));
    await waiting;
    expect(log).toEqual(["microtask", "task"]);
  });
});
