// The starter "Post the summary to Slack" (issue 11 follow-up 9): the meeting summary's markdown arrives as Slack
// mrkdwn (no literal `## Summary`), values stay escaped, and the message links back to the meeting in the CRM
// (APP_ORIGIN). Discord the same way. PGlite and PostgreSQL alike.
import assert from "node:assert/strict";
import { appOrigins } from "../_shared/env.ts";
import { dryRun } from "../_shared/automations/engine/dry-run.ts";
import { connectChat } from "./chat_support.ts";
import { drain, dropTeam, fakeChat, importLinkedMeeting, publishRule, runsOf, SLACK_PATH, setupTeam, stepsOf } from "./automation_engine_support.ts";
import { closeAll, sql, test } from "./helpers.ts";

const TEMPLATE = "**{{meeting.title}}** with {{lead.name}}\n{{meeting.summary | truncate: 500}}";
const SUMMARY = "## Summary\nWe agreed on a **pilot** & a [follow-up](https://fathom.video/share/abc).\n- Send the proposal";

test("post_slack: the summary's markdown as mrkdwn, values escaped, a link to the meeting in the CRM", async () => {
  const t = await setupTeam({ slack: true });
  fakeChat.reset();
  try {
    await publishRule(t.teamId, { trigger: "meeting.linked_to_lead", actions: [{ type: "post_slack", template: TEMPLATE }] });
    const meetingId = await importLinkedMeeting(t.teamId, {
      title: "Pilot <review>",
      default_summary: { template_name: "general", markdown_formatted: SUMMARY },
    });
    await drain();
    assert.equal((await runsOf(t.teamId))[0].status, "succeeded");
    const [post] = fakeChat.received.filter((r) => r.path === SLACK_PATH);
    const blocks = post.body.blocks as { text: { text: string } }[];
    assert.equal(
      blocks[0].text.text,
      "*Pilot &lt;review&gt;* with Jane Doe\n*Summary*\nWe agreed on a *pilot* &amp; a <https://fathom.video/share/abc|follow-up>.\n• Send the proposal",
    );
    assert.ok(!JSON.stringify(post.body).includes("##"), "no literal markdown heading");
    const origin = appOrigins()[0];
    assert.ok(origin, "the test stack sets APP_ORIGIN");
    assert.equal(blocks.at(-1)!.text.text, `<${origin}/teams/${t.teamId}/meetings/${meetingId}|Open in Team CRM>`);
    // the step says where it posted, by the names the team sees (the destination's channel and workspace), and when
    const [step] = await stepsOf((await runsOf(t.teamId))[0].id);
    const { posted_at, ...where } = step.output as Record<string, unknown>;
    assert.deepEqual(where, { sent: "slack", channel: "#sales", workspace: "Acme" });
    assert.ok(!Number.isNaN(Date.parse(posted_at as string)), "posted_at is a time");
    assert.ok(!JSON.stringify(step.output).includes(fakeChat.base), "never the webhook URL");
  } finally {
    await dropTeam(t.teamId);
  }
});

test("dry run of post_slack names the channel and workspace it would post to, and once sent where it posted", async () => {
  const t = await setupTeam({ slack: true });
  fakeChat.reset();
  try {
    const meetingId = await importLinkedMeeting(t.teamId);
    const rule = { name: "Slack", trigger: "meeting.linked_to_lead", conditions: { match: "all", rules: [] }, actions: [{ type: "post_slack", template: "Hi" }] };
    const before = await dryRun({ teamId: t.teamId, rule, meetingId });
    assert.equal(before.actions[0].would, "Would post to #sales in Acme (Slack).");
    assert.equal(before.actions[0].posted, undefined);
    const sent = await dryRun({ teamId: t.teamId, rule, meetingId, send: true });
    assert.deepEqual(sent.actions[0].sent, { ok: true });
    assert.deepEqual({ ...sent.actions[0].posted, posted_at: undefined }, { sent: "slack", channel: "#sales", workspace: "Acme", posted_at: undefined });
    assert.equal(sent.actions[0].delivery, undefined, "a chat post is not a webhook delivery");
  } finally {
    await dropTeam(t.teamId);
  }
});

test("post_discord: the same summary as Discord markdown, with the CRM link under it", async () => {
  const t = await setupTeam();
  await connectChat(t.teamId, "discord", { webhookId: "123", webhookToken: "tok" });
  fakeChat.reset();
  try {
    await publishRule(t.teamId, { trigger: "meeting.linked_to_lead", actions: [{ type: "post_discord", template: TEMPLATE }] });
    const meetingId = await importLinkedMeeting(t.teamId, {
      title: "Pilot @everyone",
      default_summary: { template_name: "general", markdown_formatted: SUMMARY },
    });
    await drain();
    assert.equal((await runsOf(t.teamId))[0].status, "succeeded");
    const [post] = fakeChat.received.filter((r) => r.path.startsWith("/discord/"));
    const description = (post.body.embeds as { description: string }[])[0].description;
    assert.equal(
      description,
      "**Pilot @\u200beveryone** with Jane Doe\n**Summary**\nWe agreed on a **pilot** & a [follow-up](https://fathom.video/share/abc).\n- Send the proposal" +
        `\n\n[Open in Team CRM](${appOrigins()[0]}/teams/${t.teamId}/meetings/${meetingId})`,
    );
  } finally {
    await dropTeam(t.teamId);
  }
});

test("teardown", async () => {
  await fakeChat.close();
  await closeAll();
  await sql.end();
});
