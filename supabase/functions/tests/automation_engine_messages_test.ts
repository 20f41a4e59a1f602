// The starter "Post the summary to Slack" (issue 11 follow-up 9): the meeting summary's markdown arrives as Slack
// mrkdwn (no literal `## Summary`), values stay escaped, and the message links back to the meeting in the CRM
// (APP_ORIGIN). Discord the same way. PGlite and PostgreSQL alike.
import assert from "node:assert/strict";
import { appOrigins } from "../_shared/env.ts";
import { connectChat } from "./chat_support.ts";
import { drain, dropTeam, fakeChat, importLinkedMeeting, publishRule, runsOf, SLACK_PATH, setupTeam } from "./automation_engine_support.ts";
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
