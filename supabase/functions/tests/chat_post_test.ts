// notify() against fake Slack and Discord webhook endpoints: what arrives (escaped, mentions neutralised, within the
// limits), 429 (short wait retried, long wait handed back), 5xx (one retry), gone destinations (needs reconnect +
// event), refused messages, and that no log line ever holds a webhook URL, id or token.
import assert from "node:assert/strict";
import { AppError } from "../_shared/errors.ts";
import { notify, ProviderRateLimited } from "../_shared/chat/notify.ts";
import { DISCORD_LIMITS } from "../_shared/chat/discord.ts";
import { SLACK_LIMITS } from "../_shared/chat/slack.ts";
import { captureConsole, closedPort, connectChat, createChatTeam, dropChatTeam, startFakeChat } from "./chat_support.ts";
import { closeAll, sql, test, withEnv } from "./helpers.ts";

const fake = startFakeChat();
// webhook URLs are pinned under the webhook base URL (oauth/webhook-url.ts): the fake's. Discord's derives from its
// API base (<API base>/webhooks/), Slack's is its own setting (hooks.slack.com/services/ for real)
Deno.env.set("DISCORD_API_BASE_URL", `${fake.base}/discord/api/v10`);
Deno.env.set("SLACK_API_BASE_URL", `${fake.base}/slack/api`);
Deno.env.set("SLACK_WEBHOOK_BASE_URL", `${fake.base}/slack/hooks/services/`);
Deno.env.set("CHAT_RETRY_DELAY_MS", "1");

const SLACK_SECRET_PATH = "/slack/hooks/services/T0SECRET/B0SECRET/xoxhooksecret123";
const DISCORD_ID = "123456789012345678";
const DISCORD_TOKEN = "dIsCoRd-WeBhOoK_tOkEn-987";
const slackSecret = () => ({ url: `${fake.base}${SLACK_SECRET_PATH}` });
// the stored URL points elsewhere on purpose: with an id and a token, the URL is built from DISCORD_API_BASE_URL
const discordSecret = () => ({
  url: `http://127.0.0.1:${closedPort()}/never-used`,
  webhookId: DISCORD_ID,
  webhookToken: DISCORD_TOKEN,
});
/** every substring that would give a webhook away */
const SECRETS = ["T0SECRET", "B0SECRET", "xoxhooksecret123", DISCORD_ID, DISCORD_TOKEN, "/hooks/", "/webhooks/"];

async function withTeam(
  provider: "slack" | "discord",
  fn: (teamId: string, integrationId: string) => Promise<void>,
) {
  fake.reset();
  const teamId = await createChatTeam();
  try {
    const id = await connectChat(teamId, provider, provider === "slack" ? slackSecret() : discordSecret());
    await fn(teamId, id);
  } finally {
    await dropChatTeam(teamId);
  }
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AppError, `not an AppError: ${err}`);
    return err;
  }
  assert.fail("expected notify to throw");
}

function assertNoSecrets(lines: string[]) {
  for (const line of lines) for (const secret of SECRETS) assert.ok(!line.includes(secret), `log line leaks: ${line}`);
}

// --- Slack ----------------------------------------------------------------------------------------------------------

test("slack: data is escaped (& < >), the link is built by us from an http(s) URL, the fallback text is set", async () => {
  await withTeam("slack", async (teamId) => {
    const result = await notify(teamId, "slack", {
      title: "<script>&",
      text: "Hi <!channel> & <https://evil.example|click here>",
      url: "https://crm.example/leads/1?a=1&b=x|y",
      fields: [{ name: "Stage <b>", value: "won & done" }],
    });
    assert.equal(result.status, "sent");
    assert.equal(fake.received.length, 1);
    const { path, body } = fake.received[0];
    assert.equal(path, SLACK_SECRET_PATH);
    const blocks = body.blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    assert.equal(blocks[0].type, "header");
    assert.equal(blocks[0].text!.text, "&lt;script&gt;&amp;");
    assert.equal(blocks[1].text!.text, "Hi &lt;!channel&gt; &amp; &lt;https://evil.example|click here&gt;");
    assert.equal(blocks[2].fields![0].text, "*Stage &lt;b&gt;*\nwon &amp; done");
    assert.equal(blocks[3].text!.text, "<https://crm.example/leads/1?a=1&amp;b=x%7Cy|Open in Team CRM>");
    assert.match(body.text as string, /^&lt;script&gt;&amp;\nHi &lt;!channel&gt;/);
  });
});

test("slack: a non-http(s) link is dropped", async () => {
  await withTeam("slack", async (teamId) => {
    await notify(teamId, "slack", { title: "t", text: "x", url: "javascript:alert(1)" });
    assert.ok(!JSON.stringify(fake.received[0].body).includes("javascript"));
  });
});

test("slack: a 10,000-character text and 600 fields are cut to Block Kit's limits, never refused", async () => {
  await withTeam("slack", async (teamId) => {
    const fields = Array.from({ length: 600 }, (_, i) => ({ name: `f${i}`, value: "<".repeat(3000) }));
    await notify(teamId, "slack", { title: "T".repeat(400), text: "&".repeat(10_000), url: "https://crm.example/", fields });
    const { body } = fake.received[0];
    const blocks = body.blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    assert.ok(blocks.length <= SLACK_LIMITS.blocks);
    assert.equal(blocks[0].text!.text.length, SLACK_LIMITS.headerText);
    const section = blocks[1].text!.text;
    assert.ok(section.length <= SLACK_LIMITS.sectionText && section.endsWith("&amp;…"), "cut on a whole entity");
    for (const block of blocks.filter((b) => b.fields)) {
      assert.ok(block.fields!.length <= SLACK_LIMITS.fieldsPerSection);
      for (const field of block.fields!) assert.ok(field.text.length <= SLACK_LIMITS.fieldText);
    }
    assert.equal(blocks.at(-1)!.text!.text, "<https://crm.example/|Open in Team CRM>");
    assert.ok((body.text as string).length <= SLACK_LIMITS.fallbackText);
  });
});

test("slack: 429 with a short Retry-After is waited out and posted again", async () => {
  await withTeam("slack", async (teamId) => {
    fake.script({ status: 429, body: "rate_limited", headers: { "retry-after": "1" } });
    assert.deepEqual(await notify(teamId, "slack", { title: "t", text: "x" }), {
      status: "sent",
      to: { channel: "#sales", workspace: "Acme" }, // the destination's names, never its webhook URL
    });
    assert.equal(fake.received.length, 2);
  });
});

test("slack: 429 with a long Retry-After is handed back with its seconds, without waiting", async () => {
  await withTeam("slack", async (teamId) => {
    fake.script({ status: 429, body: "rate_limited", headers: { "retry-after": "120" } });
    const err = await rejection(notify(teamId, "slack", { title: "t", text: "x" }));
    assert.ok(err instanceof ProviderRateLimited);
    assert.equal(err.code, "provider_rate_limited");
    assert.equal(err.retryAfterSeconds, 120);
    assert.equal(fake.received.length, 1);
  });
});

for (const [status, code] of [[404, "no_service"], [404, "channel_not_found"], [410, "channel_is_archived"], [
  403,
  "action_prohibited",
]] as const) {
  test(`slack: ${status} ${code} means the destination is gone: needs_reauth + event, and no post after`, async () => {
    await withTeam("slack", async (teamId, integrationId) => {
      fake.script({ status, body: code });
      const err = await rejection(notify(teamId, "slack", { title: "t", text: "x" }));
      assert.equal(err.code, "destination_gone");
      assert.equal(err.status, 409);
      assert.match(err.message, /Reconnect Slack/);
      const [row] = await sql`select status, last_error, last_error_at from public.team_integrations
                              where id = ${integrationId}`;
      assert.equal(row.status, "needs_reauth");
      assert.equal(row.last_error, "destination_gone");
      assert.ok(row.last_error_at);
      const events = await sql`select type, subject_id, payload from public.integration_events
                               where team_id = ${teamId}`;
      assert.deepEqual(events.map((e) => [e.type, e.subject_id, e.payload]), [
        ["slack.integration.destination_gone", integrationId, { reason: code }],
      ]);
      const again = await rejection(notify(teamId, "slack", { title: "t", text: "x" }));
      assert.equal(again.code, "destination_gone");
      assert.equal(fake.received.length, 1, "a gone destination is not posted to again");
    });
  });
}

test("slack: a 500 is retried once (then sent); two 500s are provider_unavailable", async () => {
  await withTeam("slack", async (teamId) => {
    fake.script({ status: 500, body: "internal_error" });
    assert.equal((await notify(teamId, "slack", { title: "t", text: "x" })).status, "sent");
    assert.equal(fake.received.length, 2);
    fake.reset();
    fake.script({ status: 500, body: "" }, { status: 503, body: "" }, { status: 200, body: "ok" });
    const err = await rejection(notify(teamId, "slack", { title: "t", text: "x" }));
    assert.equal(err.code, "provider_unavailable");
    assert.equal(fake.received.length, 2, "one retry, not more");
  });
});

test("slack: a refused payload (400 invalid_payload) is message_rejected with the code; the row stays connected", async () => {
  await withTeam("slack", async (teamId, integrationId) => {
    fake.script({ status: 400, body: "invalid_payload" });
    const err = await rejection(notify(teamId, "slack", { title: "t", text: "x" }));
    assert.equal(err.code, "message_rejected");
    assert.match(err.message, /invalid_payload/);
    const [row] = await sql`select status from public.team_integrations where id = ${integrationId}`;
    assert.equal(row.status, "connected");
  });
});

test("slack: a webhook URL that redirects is not followed", async () => {
  await withTeam("slack", async (teamId) => {
    fake.script({ status: 302, body: "", headers: { location: `${fake.base}/elsewhere` } });
    const err = await rejection(notify(teamId, "slack", { title: "t", text: "x" }));
    assert.equal(err.code, "message_rejected");
    assert.equal(fake.received.length, 1);
  });
});

test("slack: a stored URL that is plain http to a public host is never posted to (gone: reconnect)", async () => {
  fake.reset();
  const teamId = await createChatTeam();
  try {
    await connectChat(teamId, "slack", { url: "http://hooks.slack.example/services/T/B/x" });
    const err = await rejection(notify(teamId, "slack", { title: "t", text: "x" }));
    assert.equal(err.code, "destination_gone");
  } finally {
    await dropChatTeam(teamId);
  }
});

// --- Discord --------------------------------------------------------------------------------------------------------

test("discord: posted to DISCORD_API_BASE_URL/webhooks/{id}/{token}?wait=true with a DiscordBot User-Agent", async () => {
  await withTeam("discord", async (teamId) => {
    await notify(teamId, "discord", { title: "Deal won", text: "Acme signed" });
    assert.equal(fake.received.length, 1);
    const { path, search, headers, body } = fake.received[0];
    assert.equal(path, `/discord/api/v10/webhooks/${DISCORD_ID}/${DISCORD_TOKEN}`);
    assert.equal(search, "?wait=true");
    assert.match(headers.get("user-agent") ?? "", /^DiscordBot \(\S+, [\d.]+\)$/);
    assert.equal(headers.get("authorization"), null);
    assert.deepEqual(body, {
      embeds: [{ title: "Deal won", description: "Acme signed" }],
      allowed_mentions: { parse: [] },
    });
  });
});

test("discord: mentions are neutralised in the text too, markdown is shown literally, allowed_mentions.parse is []", async () => {
  await withTeam("discord", async (teamId) => {
    await notify(teamId, "discord", {
      title: "@everyone look",
      text: "@here <@123> <@!45> <@&67> <#89> **bold** [x](https://evil.example)",
      fields: [{ name: "@everyone", value: "<@1>" }],
    });
    const { body } = fake.received[0];
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    const text = JSON.stringify(body.embeds);
    for (const ping of ["@everyone", "@here", "<@1", "<@!", "<@&", "<#"]) assert.ok(!text.includes(ping), ping);
    const [embed] = body.embeds as { title: string; description: string }[];
    assert.equal(embed.title, "@\u200beveryone look");
    assert.ok(embed.description.includes("\\*\\*bold\\*\\* \\[x\\](https://evil.example)"));
  });
});

test("discord: a 10,000-character text and 40 long fields are cut to the embed limits, never refused", async () => {
  await withTeam("discord", async (teamId) => {
    const fields = Array.from({ length: 40 }, (_, i) => ({ name: `n${i}`.repeat(100), value: "v".repeat(5000) }));
    await notify(teamId, "discord", { title: "T".repeat(1000), text: "x".repeat(10_000), url: "https://crm.example/l/1", fields });
    const [embed] = fake.received[0].body.embeds as {
      title: string;
      url: string;
      description: string;
      fields: { name: string; value: string }[];
    }[];
    assert.equal(embed.title.length, DISCORD_LIMITS.title);
    assert.equal(embed.url, "https://crm.example/l/1");
    assert.equal(embed.description.length, DISCORD_LIMITS.description);
    assert.ok(embed.description.endsWith("…"));
    assert.ok(embed.fields.length <= DISCORD_LIMITS.fields && embed.fields.length > 0);
    for (const f of embed.fields) {
      assert.ok(f.name.length <= DISCORD_LIMITS.fieldName && f.value.length <= DISCORD_LIMITS.fieldValue);
    }
    const total = embed.title.length + embed.description.length +
      embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    assert.ok(total <= DISCORD_LIMITS.total, `total ${total}`);
  });
});

test("discord: 429 with retry_after in the JSON body is waited out; a long one is handed back", async () => {
  await withTeam("discord", async (teamId) => {
    fake.script({ status: 429, body: { message: "You are being rate limited.", retry_after: 0.25, global: false } });
    assert.equal((await notify(teamId, "discord", { title: "t", text: "x" })).status, "sent");
    assert.equal(fake.received.length, 2);
    fake.reset();
    fake.script({ status: 429, body: { retry_after: 64.5, global: false }, headers: { "retry-after": "65" } });
    const err = await rejection(notify(teamId, "discord", { title: "t", text: "x" }));
    assert.ok(err instanceof ProviderRateLimited);
    assert.equal(err.retryAfterSeconds, 65);
    assert.equal(fake.received.length, 1);
  });
});

for (const [status, body] of [[404, { code: 10015, message: "Unknown Webhook" }], [401, { code: 50027 }], [403, {}]] as const) {
  test(`discord: ${status} means the webhook is gone: needs_reauth + event`, async () => {
    await withTeam("discord", async (teamId, integrationId) => {
      fake.script({ status, body });
      const err = await rejection(notify(teamId, "discord", { title: "t", text: "x" }));
      assert.equal(err.code, "destination_gone");
      const [row] = await sql`select status, last_error from public.team_integrations where id = ${integrationId}`;
      assert.deepEqual({ ...row }, { status: "needs_reauth", last_error: "destination_gone" });
      const [event] = await sql`select type from public.integration_events where team_id = ${teamId}`;
      assert.equal(event.type, "discord.integration.destination_gone");
    });
  });
}

test("discord: an invalid form body (400 50035) is message_rejected; a 502 twice is provider_unavailable", async () => {
  await withTeam("discord", async (teamId) => {
    fake.script({ status: 400, body: { code: 50035, message: "Invalid Form Body", errors: {} } });
    assert.equal((await rejection(notify(teamId, "discord", { title: "t", text: "x" }))).code, "message_rejected");
    fake.reset();
    fake.script({ status: 502, body: {} }, { status: 502, body: {} });
    assert.equal((await rejection(notify(teamId, "discord", { title: "t", text: "x" }))).code, "provider_unavailable");
    assert.equal(fake.received.length, 2);
  });
});

// --- what notify refuses ----------------------------------------------------------------------------------------------

test("notify: not connected is not_found, a provider that does not post is not_supported, unknown is not_found", async () => {
  const teamId = await createChatTeam();
  try {
    assert.equal((await rejection(notify(teamId, "slack", { title: "t", text: "x" }))).code, "not_found");
    await connectChat(teamId, "fathom", null, null);
    const fathom = await rejection(notify(teamId, "fathom", { title: "t", text: "x" }));
    assert.deepEqual([fathom.code, fathom.status], ["not_supported", 400]);
    assert.equal((await rejection(notify(teamId, "zoom", { title: "t", text: "x" }))).code, "not_supported");
    assert.equal((await rejection(notify(teamId, "myspace", { title: "t", text: "x" }))).code, "not_found");
    await connectChat(teamId, "discord", null);
    assert.equal((await rejection(notify(teamId, "discord", { title: "t", text: "x" }))).code, "not_found");
    await connectChat(teamId, "slack", slackSecret());
    assert.equal((await rejection(notify(teamId, "slack", { title: " ", text: "" }))).code, "invalid_request");
  } finally {
    await dropChatTeam(teamId);
  }
});

// --- logs -----------------------------------------------------------------------------------------------------------

test("logs: no failure writes a webhook URL, id or token to any log line", async () => {
  const failures = [
    { status: 404, body: "no_service" },
    { status: 400, body: "invalid_payload" },
    { status: 429, body: "", headers: { "retry-after": "999" } },
  ];
  const { lines } = await captureConsole(async () => {
    for (const provider of ["slack", "discord"] as const) {
      for (const answer of [...failures, { status: 500, body: "" }]) {
        await withTeam(provider, async (teamId) => {
          fake.script(answer, answer);
          await notify(teamId, provider, { title: "t", text: "x" }).catch(() => {});
        });
      }
      // nothing listens on the stored URL: fetch's own error names the URL, and must not reach a log
      await withTeam(provider, async (teamId) => {
        const port = closedPort();
        const secret: Record<string, string> = provider === "slack"
          ? { url: `http://127.0.0.1:${port}${SLACK_SECRET_PATH}` }
          : { url: "", webhookId: DISCORD_ID, webhookToken: DISCORD_TOKEN };
        await sql`delete from public.team_integrations where team_id = ${teamId}`;
        await connectChat(teamId, provider, secret);
        // the closed port is the configured webhook base's, so the URL passes the pin and fetch fails
        const err = await withEnv(
          provider === "slack"
            ? { SLACK_WEBHOOK_BASE_URL: `http://127.0.0.1:${port}/slack/hooks/services/` }
            : { DISCORD_API_BASE_URL: `http://127.0.0.1:${port}/api` },
          () => rejection(notify(teamId, provider, { title: "t", text: "x" })),
        );
        assert.equal(err.code, "provider_unavailable");
        assert.ok(!err.message.includes("127.0.0.1"));
      });
    }
  });
  assert.ok(lines.length >= 8, "the failures were logged");
  assertNoSecrets(lines);
});

test("teardown", async () => {
  await fake.close();
  await closeAll();
});
