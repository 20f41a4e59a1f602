import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Rules about how the front end's modules load, checked over the source text (src/, tests excluded).
const SRC = path.resolve(__dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [file] : [];
  });
}

const offenders = (pattern: RegExp, allowed: string[] = []) =>
  sources(SRC)
    .map((file) => path.relative(SRC, file))
    .filter((file) => !allowed.includes(file) && pattern.test(readFileSync(path.join(SRC, file), "utf8")));

describe("front-end modules", () => {
  // A module that exports `then` makes its namespace object a thenable: `await import()` of it (lazy routes,
  // Vitest loading a test's imports) calls that `then` and never settles. It hung the unit suite once.
  it("never export a binding named `then`", () => {
    expect(
      offenders(/export\s+(?:const|let|var|function\*?|async\s+function)\s+then\b|export\s*\{[^}]*\bthen\b[^}]*\}/),
    ).toEqual([]);
  });

  // The Integrations page carries at most 150 kB of JavaScript gzip (bench/frontend): libraries that only an
  // action or an opened dialog needs load then, through one module each.
  it("load sonner through lib/toast.ts only (on the first toast)", () => {
    expect(
      offenders(/^import\s+(?!type\b)[^;]*from\s+["']sonner["']/m, ["lib/toast.ts", "components/ui/sonner-toaster.tsx"]),
    ).toEqual([]);
  });
});
