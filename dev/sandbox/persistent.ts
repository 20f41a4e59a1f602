// A provider sandbox backed by its state file: restored when the file holds a valid snapshot, fresh otherwise
// (one warning line); every change is saved back (see state-file.ts).

import type { ProviderSandbox } from "./provider.ts";
import { createSaver, ignoredWarning, readStateFile, type Saver } from "./state-file.ts";

export interface PersistentProvider<P extends ProviderSandbox> {
  sandbox: P;
  restored: boolean;
  saver: Saver;
}

/** `create` builds the sandbox from an optional snapshot and an onChange callback; it throws on a bad snapshot. */
export async function openPersistentProvider<P extends ProviderSandbox>(
  path: string,
  label: string,
  create: (snapshot: unknown, onChange: () => void) => P,
  warn: (message: string) => void = console.warn,
): Promise<PersistentProvider<P>> {
  const loaded = await readStateFile(path, label);
  if (loaded.kind === "ignored") warn(loaded.warning);
  // The saver only calls snapshot() from a timer or flush(), i.e. after `sandbox` exists.
  const saver = createSaver(path, label, () => sandbox.snapshot(), warn);
  let sandbox: P;
  let restored = false;
  if (loaded.kind === "loaded") {
    try {
      sandbox = create(loaded.data, () => saver.schedule());
      restored = true;
    } catch (error) {
      warn(ignoredWarning(label, path, error));
      sandbox = create(undefined, () => saver.schedule());
    }
  } else {
    sandbox = create(undefined, () => saver.schedule());
  }
  if (!restored) saver.schedule();
  return { sandbox, restored, saver };
}
