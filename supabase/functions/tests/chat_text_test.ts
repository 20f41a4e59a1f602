// The text and URL rules both chat providers share (_shared/chat/text.ts): no database, no network.
import assert from "node:assert/strict";
import { fitEscaped, retryAfterHeader, shortCode } from "../_shared/chat/text.ts";
import { normalBase, pinnedUrl } from "../_shared/oauth/webhook-url.ts";
import { escapeSlack } from "../_shared/chat/slack.ts";
import { escapeDiscord } from "../_shared/chat/discord.ts";

Deno.test("fitEscaped: never over the limit, never half an entity or half a surrogate pair, … when cut", () => {
  assert.equal(fitEscaped("a&b", 10, escapeSlack), "a&amp;b");
  assert.equal(fitEscaped("&&&", 12, escapeSlack), "&amp;&amp;…"); // 15 escaped: the second entity stays whole
  const emoji = "😀".repeat(10); // 20 UTF-16 units
  const cut = fitEscaped(emoji, 6, (c) => c);
  assert.equal(cut, "😀😀…");
  assert.ok(cut.isWellFormed());
  for (let max = 1; max < 40; max++) {
    const out = fitEscaped("<a&b>😀".repeat(5), max, escapeSlack);
    assert.ok(out.length <= max && out.isWellFormed(), `max ${max}: ${out}`);
    assert.ok(!/&(a|am|amp|l|lt|g|gt)?…$/.test(out), `entity cut at ${max}: ${out}`);
  }
});

Deno.test("escapeDiscord: pings get a zero-width space, markdown is escaped, # and - only at a line start", () => {
  const esc = (s: string) => fitEscaped(s, 1000, escapeDiscord);
  assert.equal(esc("@everyone @here @heretic"), "@\u200beveryone @\u200bhere @\u200bheretic");
  assert.equal(esc("<@1> <#2> <t:3>"), "<\u200b@1> <\u200b#2> <t:3>");
  assert.equal(esc("# h\n- x a-b #c"), "\\# h\n\\- x a-b #c");
  assert.equal(esc("*_~`|[]>\\"), "\\*\\_\\~\\`\\|\\[\\]>\\\\");
  assert.equal(esc("> quote\n>> x"), "\\> quote\n\\>> x");
});

Deno.test("pinnedUrl: only path segments under the base (its scheme, host and port); no credentials, fragments, queries or encodings", () => {
  const base = "https://hooks.slack.com/services/";
  assert.equal(pinnedUrl("https://hooks.slack.com/services/T/B/x", base), "https://hooks.slack.com/services/T/B/x");
  assert.equal(pinnedUrl("HTTPS://Hooks.Slack.com:443/services/T/./B/x", base), "https://hooks.slack.com/services/T/B/x");
  assert.ok(pinnedUrl("http://127.0.0.1:54329/slack/hooks/services/T/B/x", "http://127.0.0.1:54329/slack/hooks/services/"));
  for (const bad of ["http://hooks.slack.com/services/T/B/x", "https://u:p@hooks.slack.com/services/x",
    "https://hooks.slack.com/services/x#f", "https://hooks.slack.com/services/x?y=1", "https://hooks.slack.com/services/",
    "https://hooks.slack.com/services", "https://hooks.slack.com/servicesX/T", "https://hooks.slack.com/other/T",
    "https://hooks.slack.com/services/../api", "https://hooks.slack.com/services/%2e%2e/api",
    "https://hooks.slack.com/services/..%2Fapi", "https://hooks.slack.com/services/T//B", "https://slack.com/services/T",
    "https://hooks.slack.com.evil.example/services/x", "https://hooks.slack.com:8443/services/x",
    "https://169.254.169.254/latest", "ftp://hooks.slack.com/services/x", "javascript:alert(1)", "not a url",
    "https://hooks.slack.com/services/\0", `https://hooks.slack.com/services/${"x".repeat(2100)}`, 42, null]) {
    assert.equal(pinnedUrl(bad, base), null, String(bad));
  }
  assert.equal(pinnedUrl("https://hooks.slack.com/services/T/B/x", null), null, "no base: nothing passes");
});

Deno.test("normalBase: absolute http(s) without user-info, query or fragment; always ends in /", () => {
  assert.equal(normalBase("https://hooks.slack.com/services"), "https://hooks.slack.com/services/");
  assert.equal(normalBase("HTTPS://HOOKS.SLACK.COM/services/"), "https://hooks.slack.com/services/");
  for (const bad of ["not a url", "ftp://x/", "https://u:p@x/", "https://x/?a", "https://x/#a", null]) {
    assert.equal(normalBase(bad), null, String(bad));
  }
});

Deno.test("retryAfterHeader: seconds (fractions kept) or an HTTP date; junk is null", () => {
  assert.equal(retryAfterHeader("30"), 30);
  assert.equal(retryAfterHeader("1.5"), 1.5);
  assert.equal(retryAfterHeader(new Date(10_000).toUTCString(), 0), 10);
  assert.equal(retryAfterHeader(null), null);
  assert.equal(retryAfterHeader("soon"), null);
  assert.equal(retryAfterHeader("-5"), null);
});

Deno.test("shortCode: a provider's code only when it looks like one", () => {
  assert.equal(shortCode("no_service\n"), "no_service");
  assert.equal(shortCode("<html>Not found</html>"), null);
  assert.equal(shortCode("https://hooks.slack.com/services/T/B/x"), null);
});
