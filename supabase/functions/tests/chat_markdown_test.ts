// Markdown messages for Slack and Discord (issue 11 follow-up 9): a meeting summary's `## Summary`, lists, bold
// and links become Slack mrkdwn / Discord markdown, every piece of text still escaped; automation templates put
// values in escaped (so a value is never formatted or linked) and the summary as markdown; the CRM link goes in.
// No database, no network.
import assert from "node:assert/strict";
import { discordMarkdown, discordPayload } from "../_shared/chat/discord.ts";
import { escapeMarkdown, parseMarkdown } from "../_shared/chat/markdown.ts";
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
