import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// A module that exports `then` makes its namespace object a thenable: `await import()` of it (lazy routes, Vitest
// loading a test's imports) calls that `then` and never settles. It hung the unit suite once (src/lib/tolerant.ts).
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return /\.(ts|tsx)$/.test(name) ? [file] : [];
  });
}

describe("front-end modules", () => {
  it("never export a binding named `then`", () => {
    const offenders = sources(path.resolve(__dirname, "..")).filter((file) =>
      /export\s+(?:const|let|var|function\*?|async\s+function)\s+then\b|export\s*\{[^}]*\bthen\b[^}]*\}/.test(
        readFileSync(file, "utf8"),
      )
    );
    expect(offenders).toEqual([]);
  });
});
