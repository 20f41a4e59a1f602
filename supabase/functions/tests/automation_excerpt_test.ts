// The endpoint answer's excerpt (_shared/automations/engine/excerpt.ts scrubExcerpt): the endpoint's URL never
// survives, however the answer writes it (path only, `\/`-escaped JSON, percent-encoded, HTML character
// references, query values under any name, split by a tag), and a hostile answer is scrubbed in linear time.
// Pure: no database, no network. (Second attacker's findings on issue 11, atk11b.)
import assert from "node:assert/strict";
import { EXCERPT_MAX_CHARS, scrubExcerpt } from "../_shared/automations/engine/excerpt.ts";

const SIGNING = "whsec_dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IGtleSEh";
const scrub = (answer: string, url: string) => scrubExcerpt(answer, [url, SIGNING, "v1,abc"]) ?? "";

const ZAPIER = "https://hooks.zapier.com/hooks/catch/1234567/abcdef1/";
const SLACK = "https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx";
const PLAIN = "https://hooks.example.com/in/k7Hq2Zp9Lm4Xw8Rt";
const QUERY = "https://x.example.com/h?code=Zx81kLmQ0pRt&sig=Ab12Cd34Ef56";

// [how the answer writes it, endpoint URL, answer, parts of the URL that must not appear]
const echoes: Array<[string, string, string, string[]]> = [
  ["the path alone (Express's 404 \"Cannot POST /path\")", ZAPIER,
    "<!DOCTYPE html><html><body><pre>Cannot POST /hooks/catch/1234567/abcdef1/</pre></body></html>",
    ["1234567", "abcdef1"]],
  ["one path segment alone", PLAIN, "unknown hook id k7Hq2Zp9Lm4Xw8Rt", ["k7Hq2Zp9Lm4Xw8Rt"]],
  ["JSON with escaped slashes (PHP json_encode)", SLACK,
    '{"error":"bad","url":"https:\\/\\/hooks.slack.com\\/services\\/T0123ABCD\\/B0123ABCD\\/abcdefghijklmnopqrstuvwx"}',
    ["abcdefghijklmnopqrstuvwx", "T0123ABCD", "B0123ABCD"]],
  ["JSON with \\u002F slashes", PLAIN, '{"url":"\\u002Fin\\u002Fk7Hq2Zp9Lm4Xw8Rt"}', ["k7Hq2Zp9Lm4Xw8Rt"]],
  ["percent-encoded", PLAIN, "no route for https%3A%2F%2Fhooks.example.com%2Fin%2Fk7Hq2Zp9Lm4Xw8Rt",
    ["k7Hq2Zp9Lm4Xw8Rt"]],
  ["percent-encoded twice", PLAIN, "no route for %252Fin%252Fk7Hq2Zp9Lm4Xw8Rt", ["k7Hq2Zp9Lm4Xw8Rt"]],
  ["HTML character references (OWASP encoder)", PLAIN,
    "<p>Unknown hook https:&#x2F;&#x2F;hooks.example.com&#x2F;in&#x2F;k7Hq2Zp9Lm4Xw8Rt</p>", ["k7Hq2Zp9Lm4Xw8Rt"]],
  ["a segment's characters as references", PLAIN, "hook &#107;&#55;Hq2Zp9Lm4Xw8Rt", ["7Hq2Zp9Lm4Xw8Rt"]],
  ["query values under names no credential list has (code=, sig=)", QUERY,
    "400 bad request: query code=Zx81kLmQ0pRt sig=Ab12Cd34Ef56", ["Zx81kLmQ0pRt", "Ab12Cd34Ef56"]],
  ["a query value alone", QUERY, "signature Ab12Cd34Ef56 does not match", ["Ab12Cd34Ef56"]],
  ["a secret split by an empty tag", PLAIN, "path was /in/k7Hq2Zp9<b></b>Lm4Xw8Rt", ["k7Hq2Zp9", "Lm4Xw8Rt"]],
  ["a secret split by a line break", PLAIN, "path was /in/k7Hq2Zp9<br>Lm4Xw8Rt", ["k7Hq2Zp9", "Lm4Xw8Rt"]],
  ["in other letter case", PLAIN, "route K7HQ2ZP9LM4XW8RT unknown", ["K7HQ2ZP9LM4XW8RT"]],
];

for (const [how, url, answer, secrets] of echoes) {
  Deno.test(`scrubExcerpt: the endpoint's URL does not survive when written as ${how}`, () => {
    const out = scrub(answer, url);
    for (const secret of secrets) assert.ok(!out.toLowerCase().includes(secret.toLowerCase()), `${secret} in ${out}`);
    assert.match(out, /\[redacted\]|\[link\]/);
  });
}

Deno.test("scrubExcerpt: what is not a secret is kept (status words, short path parts, error codes)", () => {
  const out = scrub('{"error":"invalid_payload","message":"Field name is required","path":"/in"}', PLAIN);
  assert.equal(out, '{"error":"invalid_payload","message":"Field name is required","path":"/in"}');
});

Deno.test("scrubExcerpt: key = value credentials under more names (sig, key, auth, api-key) lose their value", () => {
  const out = scrub('sig=abcdefgh key: "s3cr3tvalue" X-Api-Key=qwertyuiop auth=zxcvbnmasd code=E_BAD', PLAIN);
  for (const leak of ["abcdefgh", "s3cr3tvalue", "qwertyuiop", "zxcvbnmasd"]) assert.ok(!out.includes(leak), `${leak} in ${out}`);
  assert.ok(out.includes("code=E_BAD"), out);
});

// The attacker's input: the credential pattern had optional runs around "token" and backtracked cubically on it
// (the old code took ~4 s on this 4 KB answer). The scrub must simply finish and say the right thing.
Deno.test("scrubExcerpt: a 4 KB answer of repeated \"token-\" is scrubbed (no catastrophic backtracking)", () => {
  const body = `{"error":"invalid","echo":"${"token-".repeat(700)}"}`.slice(0, 4096);
  const out = scrubExcerpt(body, ["https://hooks.example.com/x"])!;
  assert.ok(out.startsWith('{"error":"invalid","echo":"[redacted]'), out);
  assert.ok(out.length <= EXCERPT_MAX_CHARS, out);
  assert.ok(!/token-token/.test(out), out);
});

Deno.test("scrubExcerpt: other pathological inputs (long word runs, dotted runs, unclosed tags and quotes) finish", () => {
  for (const body of ["a".repeat(4096), "a.".repeat(2048), "<".repeat(4096), `"${"x".repeat(4095)}`, "%25".repeat(1365),
    "&#x2F;".repeat(682), "password=".repeat(455)]) {
    const out = scrubExcerpt(body, [PLAIN]);
    assert.ok(out === null || out.length <= EXCERPT_MAX_CHARS);
  }
});
