// Markdown messages for Slack and Discord (issue 11 follow-up 9): a meeting summary's `## Summary`, lists, bold
// and links become Slack mrkdwn / Discord markdown, every piece of text still escaped; automation templates put
// values in escaped (so a value is never formatted or linked) and the summary as markdown; the CRM link goes in.
// No database, no network.
import assert from "node:assert/strict";
import { discordMarkdown, discordPayload } from "../_shared/chat/discord.ts";
import { escapeMarkdown, inlineText, parseMarkdown } from "../_shared/chat/markdown.ts";
import { slackMrkdwn, slackPayload } from "../_shared/chat/slack.ts";
import { renderTemplate } from "../_shared/automations/template.ts";
import type { RunContext } from "../_shared/automations/context.ts";

const SUMMARY = [
  "## Summary",
  "We reviewed **Q1 OKRs** & budget <risks>.",
  "",
  "### Next steps",
  "- Send the [proposal](https://fathom.video/share/x?t=12) by *Friday*",
  "  - ask `legal`",
  "1. Book the demo",
  "- [bad](javascript:alert(1)) and snake_case_name",
].join("\n");

Deno.test("slackMrkdwn: headings as bold lines, lists with •, links <url|label>, text escaped (& < >)", () => {
  assert.equal(
    slackMrkdwn(SUMMARY, 3000),
    [
      "*Summary*",
      "We reviewed *Q1 OKRs* &amp; budget &lt;risks&gt;.",
      "",
      "*Next steps*",
      "• Send the <https://fathom.video/share/x?t=12|proposal> by _Friday_",
      "    • ask `legal`",
      "1. Book the demo",
      "• bad and snake_case_name",
    ].join("\n"),
  );
});

Deno.test("discordMarkdown: headings as bold lines, lists, masked http(s) links; pings and stray markup neutralised", () => {
  assert.equal(
    discordMarkdown(SUMMARY, 4096),
    [
      "**Summary**",
      "We reviewed **Q1 OKRs** & budget <risks>.",
      "",
      "**Next steps**",
      "- Send the [proposal](https://fathom.video/share/x?t=12) by *Friday*",
      "  - ask `legal`",
      "1. Book the demo",
      "- bad and snake\\_case\\_name",
    ].join("\n"),
  );
  assert.equal(discordMarkdown("hi @everyone <@123>", 100), "hi @\u200beveryone <\u200b@123>");
});

Deno.test("markdown writers: never over the limit, markup never cut in half", () => {
  for (let max = 1; max < 120; max++) {
    for (const out of [slackMrkdwn(SUMMARY, max), discordMarkdown(SUMMARY, max)]) {
      assert.ok(out.length <= max, `${max}: ${out}`);
      assert.ok(!/<https?:[^>]*$/.test(out) && !/\]\([^)]*$/.test(out), `a link cut at ${max}: ${out}`);
    }
  }
});

Deno.test("escapeMarkdown: a value reads as itself, never as a link, emphasis or heading", () => {
  const value = "# [click](https://evil.example) *now* 1. <https://x.example> a\\b";
  const lines = parseMarkdown(escapeMarkdown(value));
  assert.equal(lines.length, 1);
  assert.deepEqual(lines[0], { kind: "paragraph", inline: [{ kind: "text", text: value }] });
});

const context = {
  event: { type: "meeting.linked_to_lead", source: "webhook" },
  meeting: { id: "m1", title: "Q1 *review* [x](https://evil.example)", summary: "## Summary\n- one" },
  lead: { id: "l1", name: "A & B" },
  team: { name: "Acme" },
} as unknown as RunContext;

Deno.test("renderTemplate markdown: values escaped, the summary kept as markdown", () => {
  const { text } = renderTemplate("**{{meeting.title}}** with {{lead.name}}\n{{meeting.summary}}", context, "markdown");
  assert.equal(
    slackMrkdwn(text, 3000),
    // the title's markup is text (Slack has no escape for `*`; the link is not one), the summary's is formatted
    "*Q1 *review* [x](https://evil.example)* with A &amp; B\n*Summary*\n• one",
  );
});

Deno.test("payloads: markdown format converted; the CRM link in Slack's last block and at the end of Discord's description", () => {
  const message = { title: "", text: "## Summary\n- one", format: "markdown" as const, url: "https://crm.example/teams/t/meetings/m" };
  const slack = slackPayload(message);
  assert.equal((slack.blocks[0] as { text: { text: string } }).text.text, "*Summary*\n• one");
  assert.equal((slack.blocks.at(-1) as { text: { text: string } }).text.text, "<https://crm.example/teams/t/meetings/m|Open in Team CRM>");
  assert.ok(!slack.text.includes("##"));
  const discord = discordPayload(message);
  assert.equal(discord.embeds[0].description, "**Summary**\n- one\n\n[Open in Team CRM](https://crm.example/teams/t/meetings/m)");
  // plain messages stay plain
  assert.equal((slackPayload({ title: "", text: "## x" }).blocks[0] as { text: { text: string } }).text.text, "## x");
});

/** Lines back as text: each line's plain text, joined with "\n"; throws on any piece that is not text. */
function asText(lines: ReturnType<typeof parseMarkdown>): string {
  return lines.map((line) => {
    if (line.kind === "blank") return "";
    for (const piece of line.inline) assert.equal(piece.kind, "text", `formatted: ${JSON.stringify(line)}`);
    return inlineText(line.inline);
  }).join("\n");
}

Deno.test("escapeMarkdown: odd strings come back from parseMarkdown as exactly themselves, all text", () => {
  const odd = [
    "- item", "+ x", "1) one", "10. ten", "a\n===", "a\n---", "***", "    indented code", "```js\nx\n```", "<div>x</div>",
    "![img](https://x.example/i.png)", "[ref]\n\n[ref]: https://x.example", "a  \nb", "trailing \\", "  lead", "tab\tin",
    "\n\nblank first", "last blank\n\n", "   \n \t ", "&amp; &#35; &copy;", "| a | b |\n|---|---|", "> quote", "<https://x.example>",
    "snake_case_name __x__ *y*", "\\", "`code`", "~~del~~", "a\nb\n\nc", "😀 é ü", "",
  ];
  // plus pseudo-random strings over the characters Markdown cares about
  let seed = 17;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = ["a", "1", " ", "\t", "\n", "\\", "&", "#", ";", ...Array.from("!\"$%'()*+,-./:<=>?@[]^_`{|}~")];
  for (let n = 0; n < 500; n++) {
    odd.push(Array.from({ length: 1 + Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(""));
  }
  for (const value of odd) assert.equal(asText(parseMarkdown(escapeMarkdown(value))), value, JSON.stringify(value));
});

Deno.test("parseMarkdown: html, images, code blocks, tables, references and non-http links show as their text", () => {
  const lines = parseMarkdown([
    "<script>alert(1)</script>",
    "![x](https://x.example/i.png) and [ref][r] and [js](javascript:alert(1)) and <mailto:a@b.example>",
    "```",
    "**not bold**",
    "```",
    "| a | b |",
    "|---|---|",
    "[r]: https://x.example",
  ].join("\n"));
  assert.deepEqual(lines.map((line) => (line.kind === "blank" ? "" : inlineText(line.inline))), [
    "<script>alert(1)</script>",
    "![x](https://x.example/i.png) and [ref][r] and js and mailto:a@b.example",
    "```",
    "**not bold**",
    "```",
    "| a | b |",
    "|---|---|",
    "[r]: https://x.example",
  ]);
  assert.ok(lines.every((line) => line.kind === "paragraph" && line.inline.every((p) => p.kind === "text")), JSON.stringify(lines));
});

Deno.test("parseMarkdown: lists nest by structure, quotes read as their content, breaks start lines", () => {
  assert.deepEqual(parseMarkdown("Title\n===\n> - a\n>   1. b\n>\n>   2. c\n\nx  \ny\n*a\nb*"), [
    { kind: "heading", inline: [{ kind: "text", text: "Title" }] },
    { kind: "item", depth: 0, marker: "bullet", inline: [{ kind: "text", text: "a" }] },
    { kind: "item", depth: 1, marker: 1, inline: [{ kind: "text", text: "b" }] },
    { kind: "blank" },
    { kind: "item", depth: 1, marker: 2, inline: [{ kind: "text", text: "c" }] },
    { kind: "blank" },
    { kind: "paragraph", inline: [{ kind: "text", text: "x" }] },
    { kind: "paragraph", inline: [{ kind: "text", text: "y" }] },
    { kind: "paragraph", inline: [{ kind: "em", children: [{ kind: "text", text: "a" }] }] },
    { kind: "paragraph", inline: [{ kind: "em", children: [{ kind: "text", text: "b" }] }] },
  ]);
});

Deno.test("parseMarkdown: 100 KB of nested quotes and lists returns, never throws, and writes within the limit", () => {
  const size = 100_000;
  const inputs = [
    ">".repeat(size),
    "> - * ".repeat(size / 6),
    "- ".repeat(size / 2),
    "* ".repeat(size / 2),
    ("> - * ".repeat(8) + "x\n").repeat(size / 50),
    Array.from({ length: 400 }, (_, i) => " ".repeat(2 * i) + "- x").join("\n"),
    Array.from({ length: 400 }, (_, i) => ">".repeat(i) + " x").join("\n"),
    "*a **".repeat(size / 5),
    "[a](".repeat(size / 4),
  ];
  for (const input of inputs) {
    const lines = parseMarkdown(input);
    assert.ok(Array.isArray(lines) && lines.length > 0);
    assert.ok(slackMrkdwn(input, 3000).length <= 3000);
    assert.ok(discordMarkdown(input, 4096).length <= 4096);
  }
  // what is deeper than the container limit stays as text
  assert.equal(asText(parseMarkdown(">".repeat(20) + " x")), ">".repeat(12) + " x");
});
