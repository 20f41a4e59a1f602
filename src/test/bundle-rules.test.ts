import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
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

/**
 * The app's modules a page's chunk imports statically from `entry` (relative to src/), following `import … from` and
 * `export … from` of "@/…" and relative paths; `import type` and `import()` are not followed (they load nothing or
 * load later). What bench/frontend measures, at the granularity of modules.
 */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(path.join(SRC, file), "utf8");
    for (const [, spec] of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+["']([^"']+)["']/gm)) {
      const base = spec.startsWith("@/")
        ? spec.slice(2)
        : spec.startsWith(".")
          ? path.join(path.dirname(file), spec)
          : null;
      if (base === null) continue;
      const found = [".ts", ".tsx", "/index.ts", "/index.tsx", ""].map((ext) => base + ext)
        .find((candidate) => existsSync(path.join(SRC, candidate)) && statSync(path.join(SRC, candidate)).isFile());
      if (found) visit(path.normalize(found));
    }
  };
  visit(entry);
  return seen;
}

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

  // What the Integrations page loads before anyone acts (its entry chunk and page chunk) leaves out what only a
  // failure, an opened dialog, an answered invitation or a mistyped address needs: those load then.
  it("keep error sentences, dialog words, mutations and not-found pages out of the Integrations page's first load", () => {
    const closure = new Set([...staticClosure("main.tsx"), ...staticClosure("pages/IntegrationsPage.tsx")]);
    expect(closure.has("App.tsx") && closure.has("components/IntegrationsPortal.tsx")).toBe(true); // the walk works
    const unwanted = ["lib/errorMessages.ts", "lib/providerCopy.ts", "pages/NotFoundPage.tsx"];
    expect(unwanted.filter((file) => closure.has(file))).toEqual([]);
    const mutating = [...closure].filter((file) => /\buseMutation\b/.test(readFileSync(path.join(SRC, file), "utf8")));
    expect(mutating).toEqual([]);
  });
});
