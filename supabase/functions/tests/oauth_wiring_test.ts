// "Adding a provider" (docs/architecture.md) kept honest: every registry entry that has its OAuth functions is wired
// the same way, so a step forgotten fails here rather than in a browser. Files only, no database.
import assert from "node:assert/strict";
import { canPost } from "../_shared/chat/notify.ts";
import { providers } from "../_shared/oauth/registry.ts";

const repo = new URL("../../../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, repo));
const exists = async (path: string) => {
  try {
    await Deno.stat(new URL(path, repo));
    return true;
  } catch {
    return false;
  }
};

const withFunctions: string[] = [];
for (const id of Object.keys(providers)) {
  if (await exists(`supabase/functions/${id}-oauth-start/handler.ts`)) withFunctions.push(id);
}

Deno.test("the providers with OAuth functions are the ones the product connects today", () => {
  assert.deepEqual(withFunctions.sort(), ["discord", "fathom", "slack", "typeform", "zoom"]);
});

Deno.test("the app's catalog has one row per registry entry, no more, no fewer", async () => {
  // the catalog's rows are `id: "<id>",` at the start of a line (src/lib/providers.ts); a comment naming a provider
  // is not a row
  const catalog = await read("src/lib/providers.ts");
  const rows = [...catalog.matchAll(/^\s+id:\s*"([a-z0-9]+)",\s*$/gm)].map((m) => m[1]);
  const categories = new Set(["meetings", "chat", "forms"]);
  assert.deepEqual(rows.filter((id) => !categories.has(id)).sort(), Object.keys(providers).sort());
});

Deno.test("a chat provider (an entry with `webhooks`) has a poster in chat/notify.ts, and only a chat provider has one", () => {
  for (const [id, entry] of Object.entries(providers)) {
    assert.equal(canPost(id), entry.webhooks !== undefined, id);
  }
});

for (const id of withFunctions) {
  Deno.test(`${id}: one-line bindings of the generic handlers, config.toml entries, callback page`, async () => {
    for (const [fn, generic] of [[`${id}-oauth-start`, "oauthStartHandler"], [`${id}-oauth-callback`, "oauthCallbackHandler"]]) {
      const handler = await read(`supabase/functions/${fn}/handler.ts`);
      const code = handler.split("\n").filter((line) => line.trim() && !line.trim().startsWith("//"));
      assert.deepEqual(code, [
        `import { ${generic} } from "../_shared/oauth-handlers.ts";`,
        `export const handler = ${generic}("${id}");`,
      ], `${fn}/handler.ts is one binding`);
      assert.match(await read(`supabase/functions/${fn}/index.ts`), /Deno\.serve\(handler\)/, `${fn}/index.ts`);
      // the gateway and Supabase both read this: a callback is a browser navigation and carries no JWT
      const config = await read("supabase/config.toml");
      const section = config.split(/^\[/m).find((s) => s.startsWith(`functions.${fn}]`));
      assert.ok(section, `config.toml has [functions.${fn}]`);
      assert.match(section, /^verify_jwt\s*=\s*false\s*$/m, `[functions.${fn}] verify_jwt = false`);
    }
    const page = await read(`public/${id}-callback.html`);
    assert.match(page, new RegExp(`data-provider="${id}"`), "the callback page names its provider");
    assert.match(page, /<script src="\/oauth-callback\.js"/, "the callback page uses the shared script");
  });
}
