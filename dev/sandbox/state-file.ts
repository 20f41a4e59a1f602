// State files of the Slack and Discord sandboxes (<DATA_DIR>/slack-sandbox.json, discord-sandbox.json): read once
// at start, written 250 ms after the last change and on shutdown, atomically (temporary file, then rename) with mode
// 0600 (they hold tokens and webhook secrets). Fathom's sandbox keeps its own file (fathom-sandbox/state-file.ts).

import { basename, dirname, join } from "node:path";
import { randomAlphanumeric } from "./ids.ts";

export type Loaded = { kind: "missing" } | { kind: "loaded"; data: unknown } | { kind: "ignored"; warning: string };

/** Reads and JSON-parses the file; the caller validates the shape (and reports `ignored` itself if it is wrong). */
export async function readStateFile(path: string, label: string): Promise<Loaded> {
  try {
    return { kind: "loaded", data: JSON.parse(await Deno.readTextFile(path)) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" };
    return { kind: "ignored", warning: ignoredWarning(label, path, error) };
  }
}

export function ignoredWarning(label: string, path: string, error: unknown): string {
  const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim().slice(0, 300);
  return `${label}: warning: ignoring state file ${path}: ${reason}; starting with fresh state (the file will be overwritten)`;
}

export async function writeStateFile(path: string, data: unknown): Promise<void> {
  const bytes = new TextEncoder().encode(JSON.stringify(data));
  await Deno.mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomAlphanumeric(8)}.tmp`);
  try {
    await Deno.writeFile(temp, bytes, { createNew: true, mode: 0o600 });
    if (Deno.build.os !== "windows") await Deno.chmod(temp, 0o600);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

export interface Saver {
  schedule(): void;
  /** Writes now if anything changed; false when the write failed (reported through warn). */
  flush(): Promise<boolean>;
}

export function createSaver(path: string, label: string, snapshot: () => unknown, warn: (m: string) => void, debounceMs = 250): Saver {
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<boolean> | null = null;
  async function flush(): Promise<boolean> {
    clearTimeout(timer);
    timer = undefined;
    while (writing) await writing;
    if (!dirty) return true;
    dirty = false;
    const data = snapshot(); // taken before the first await: one consistent state
    writing = writeStateFile(path, data).then(() => true, (error) => {
      dirty = true;
      warn(`${label}: could not save state to ${path}: ${error instanceof Error ? error.message : error}`);
      return false;
    }).finally(() => {
      writing = null;
    });
    return await writing;
  }
  return {
    schedule() {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(() => void flush(), debounceMs);
      Deno.unrefTimer(timer);
    },
    flush,
  };
}
