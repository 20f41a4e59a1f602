// FATHOM_SANDBOX_STATE_FILE: the sandbox's state in a JSON file, so tokens and webhooks survive a restart as they
// would at the real Fathom. Loaded once at start; saved 250 ms after the last change and on shutdown, atomically
// (temporary file in the same folder, then rename) and readable by the owner only (it holds tokens and secrets).

import { basename, dirname, join } from "node:path";
import { createSandbox, type Sandbox, type SandboxOptions } from "./sandbox.ts";
import { parseSnapshot, type SandboxSnapshot } from "./snapshot.ts";
import { randomAlphanumeric } from "./ids.ts";

export const STATE_FILE_MODE = 0o600;
export const DEFAULT_SAVE_DEBOUNCE_MS = 250;

export type LoadResult =
  | { kind: "missing" }
  | { kind: "loaded"; snapshot: SandboxSnapshot }
  /** Unreadable, corrupt or another version: start fresh (the file is replaced on the next save). */
  | { kind: "ignored"; warning: string };

export async function loadStateFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" };
    return { kind: "ignored", warning: ignoredWarning(path, `cannot read it (${oneLine(error)})`) };
  }
  try {
    return { kind: "loaded", snapshot: parseSnapshot(text) };
  } catch (error) {
    return { kind: "ignored", warning: ignoredWarning(path, oneLine(error)) };
  }
}

function ignoredWarning(path: string, reason: string): string {
  return `fathom-sandbox: warning: ignoring state file ${path}: ${reason}; starting with fresh state (the file will be overwritten)`;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
}

/** Writes the snapshot to a temporary file next to `path` (mode 0600, synced), then renames it over `path`. */
export async function writeStateFile(path: string, snapshot: SandboxSnapshot): Promise<void> {
  const bytes = new TextEncoder().encode(JSON.stringify(snapshot));
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomAlphanumeric(8)}.tmp`);
  try {
    const file = await Deno.open(temp, { write: true, createNew: true, mode: STATE_FILE_MODE });
    try {
      for (let written = 0; written < bytes.length;) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    // The umask may have narrowed the mode, never widened it; chmod makes it exact.
    if (Deno.build.os !== "windows") await Deno.chmod(temp, STATE_FILE_MODE);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

export interface StateSaver {
  /** Marks the state as changed; it is written debounceMs after the last call. */
  schedule(): void;
  /** Writes now if anything changed (after any write in progress). Resolves false if the write failed. */
  flush(): Promise<boolean>;
}

export function createStateSaver(
  path: string,
  snapshot: () => SandboxSnapshot,
  { debounceMs = DEFAULT_SAVE_DEBOUNCE_MS, onError }: { debounceMs?: number; onError: (message: string) => void },
): StateSaver {
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<boolean> | null = null;

  async function flush(): Promise<boolean> {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    while (writing) await writing;
    if (!dirty) return true;
    dirty = false;
    // snapshot() and JSON.stringify run before the first await, so the file holds one consistent state; the async
    // wrapper turns any throw into a reported failure (a debounced save has nobody to throw to).
    writing = (async () => await writeStateFile(path, snapshot()))().then(
      () => true,
      (error) => {
        dirty = true; // retried on the next change or flush
        onError(`fathom-sandbox: could not save state to ${path}: ${oneLine(error)}`);
        return false;
      },
    ).finally(() => {
      writing = null;
    });
    return await writing;
  }

  return {
    schedule() {
      dirty = true;
      if (timer !== undefined) clearTimeout(timer);
      const next = setTimeout(() => {
        timer = undefined;
        void flush();
      }, debounceMs);
      // Never keeps the process alive: shutdown flushes explicitly.
      Deno.unrefTimer(next);
      timer = next;
    },
    flush,
  };
}

export interface PersistentSandbox {
  sandbox: Sandbox;
  /** How the state file was found at start. */
  loaded: LoadResult;
  saver: StateSaver;
}

/**
 * A sandbox backed by a state file: restored from it when present and valid (no demo meetings are seeded then),
 * fresh otherwise; every change is saved back. Warnings and save errors go to `warn` (one line each).
 */
export async function openPersistentSandbox(
  path: string,
  options: Omit<SandboxOptions, "snapshot" | "onChange"> = {},
  { debounceMs, warn = console.warn }: { debounceMs?: number; warn?: (message: string) => void } = {},
): Promise<PersistentSandbox> {
  const loaded = await loadStateFile(path);
  if (loaded.kind === "ignored") warn(loaded.warning);
  // The saver only calls snapshot() from a timer or flush(), i.e. after `sandbox` below exists.
  const saver = createStateSaver(path, () => sandbox.snapshot(), { debounceMs, onError: warn });
  const sandbox = createSandbox({
    ...options,
    snapshot: loaded.kind === "loaded" ? loaded.snapshot : undefined,
    onChange: () => saver.schedule(),
  });
  // A fresh state is saved right away too: the demo meetings then keep their dates and ids on the next start.
  if (loaded.kind !== "loaded") saver.schedule();
  return { sandbox, loaded, saver };
}
