// Rule templates (_shared/automations/template.ts): syntax, variables, filters, missing values and escaping per
// destination. Pure: no database, no network.
import assert from "node:assert/strict";
import {
  compileTemplate,
  MAX_TEMPLATE_LENGTH,
  parseTemplate,
  renderTemplate,
  TemplateError,
} from "../_shared/automations/template.ts";
import { variablesFor } from "../_shared/automations/catalog.ts";
import { sampleContext } from "./automations_support.ts";

const ZWSP = "\u200b";
const refused = (text: string, trigger: Parameters<typeof compileTemplate>[1], message: RegExp) =>
  assert.throws(() => compileTemplate(text, trigger), (err: unknown) => err instanceof TemplateError && message.test(err.message), text);

Deno.test("compileTemplate: variables and filters of the trigger, with spaces or without", () => {
  const compiled = compileTemplate("{{meeting.title}} for {{ lead.name | upcase }} {{meeting.summary|truncate:500}} {{lead.name}}", "meeting.linked_to_lead");
  assert.deepEqual(compiled.variables, ["meeting.title", "lead.name", "meeting.summary"]);
  assert.deepEqual(compiled.parts[4], { kind: "value", path: "meeting.summary", filters: [{ name: "truncate", arg: 500 }], source: "meeting.summary|truncate:500" });
  assert.deepEqual(compileTemplate('{{ lead.company | default: "a | b" | downcase }}', "lead.created").parts[0], {
    kind: "value", path: "lead.company", source: 'lead.company | default: "a | b" | downcase',
    filters: [{ name: "default", arg: "a | b" }, { name: "downcase", arg: null }],
  });
  assert.deepEqual(compileTemplate("no placeholders } { }}", "lead.created").parts, [{ kind: "text", text: "no placeholders } { }}" }]);
  // every variable the catalogue offers compiles for its trigger
  for (const trigger of ["meeting.linked_to_lead", "meeting.imported_unmatched", "lead.created", "lead.stage_changed"] as const) {
    for (const v of variablesFor(trigger)) compileTemplate(`{{${v.path}}}`, trigger);
  }
});

Deno.test("compileTemplate: unknown variables and filters, variables of another trigger, bad syntax are refused by name", () => {
  refused("Hi {{lead.nmae}}", "meeting.linked_to_lead", /^unknown variable \{\{lead\.nmae\}\}$/);
  refused("{{lead.name}}", "meeting.imported_unmatched", /unknown variable \{\{lead\.name\}\}/);
  refused("{{meeting.title}}", "lead.created", /unknown variable \{\{meeting\.title\}\}/);
  refused("{{event.from_stage}}", "lead.created", /unknown variable/);
  refused("{{lead}}", "lead.created", /unknown variable \{\{lead\}\}/);
  refused("{{lead.name.constructor}}", "lead.created", /unknown variable/);
  refused("{{lead.name | shout}}", "lead.created", /unknown filter "shout"/);
  refused("{{lead.name | truncate}}", "lead.created", /"truncate" needs an argument/);
  refused("{{lead.name | truncate: 0}}", "lead.created", /whole number 1\.\.5000/);
  refused("{{lead.name | truncate: 5001}}", "lead.created", /whole number/);
  refused('{{lead.name | truncate: "5"}}', "lead.created", /whole number/);
  refused("{{lead.name | default: 3}}", "lead.created", /"default" needs a "quoted text"/);
  refused("{{lead.name | default: x}}", "lead.created", /bad filter argument x/);
  refused("{{lead.name | upcase: 2}}", "lead.created", /takes no argument/);
  refused('{{lead.name | default: "x}}', "lead.created", /unterminated string/);
  refused("Hi {{lead.name", "lead.created", /unterminated \{\{ at character 4/);
  refused("{{lead.name}} and {{", "lead.created", /unterminated \{\{ at character 19/);
  refused("{{ {{lead.name}} }}", "lead.created", /nested braces/);
  refused("{{lead.{name}}}", "lead.created", /nested braces/);
  refused("{{}}", "lead.created", /empty \{\{\}\}/);
  refused("{{ lead.name + 1 }}", "lead.created", /bad variable/);
  refused("{{ Lead.Name }}", "lead.created", /bad variable/);
  refused("{{lead.name |}}", "lead.created", /bad filter ""/);
  // syntax alone (parseTemplate) knows no catalogue: the variable check is compileTemplate's
  assert.deepEqual(parseTemplate("{{lead.nmae}}").variables, ["lead.nmae"]);
  assert.throws(() => parseTemplate("{{lead.nmae"), TemplateError);
  refused("x".repeat(MAX_TEMPLATE_LENGTH + 1), "lead.created", /5001 characters long, at most 5000/);
  compileTemplate("x".repeat(MAX_TEMPLATE_LENGTH), "lead.created");
});

Deno.test("renderTemplate: values, filters in order, lists, dates, truncation", () => {
  const ctx = sampleContext();
  const render = (t: string) => renderTemplate(t, ctx, "plain");
  assert.deepEqual(render("{{meeting.title}} with {{lead.name}} ({{lead.company}}), {{meeting.duration_minutes}} min"), {
    text: "Acme intro call with Jane Doe (Acme), 32 min", missing: [],
  });
  assert.equal(render("{{lead.name | upcase}} {{lead.name | downcase}}").text, "JANE DOE jane doe");
  assert.equal(render("{{meeting.started_at | date}}").text, "2026-12-01");
  assert.equal(render("{{meeting.action_items | list}}").text, "- Send the proposal\n- Book a demo");
  assert.equal(render("{{meeting.attendees | list}}").text, "- Jane Doe <jane@acme.com>\n- sam@example.com");
  assert.equal(render("{{lead.emails}}").text, "jane@acme.com, j.doe@acme.com");
  assert.equal(render("{{meeting.has_external_attendees}}").text, "true");
  assert.equal(render("{{meeting.title | truncate: 4}}").text, "Acm…");
  assert.equal(render("{{meeting.title | truncate: 15}}").text, "Acme intro call");
  assert.equal(render("{{meeting.title | truncate: 6 | upcase}}").text, "ACME …");
  const emoji = renderTemplate("{{lead.name | truncate: 3}}", sampleContext({ lead: { ...ctx.lead!, name: "😀😀😀" } }), "plain");
  assert.equal(emoji.text, "😀…");
  assert.ok(emoji.text.isWellFormed());
  assert.equal(render("{{meeting.summary | truncate: 500}}").text, "We agreed on a pilot.");
  assert.equal(renderTemplate("{{meeting.started_at | date}}", sampleContext({ meeting: { ...ctx.meeting!, started_at: "soon" } }), "plain").text, "soon");
});

Deno.test("renderTemplate: a missing value renders \"\" and is listed once in missing, unless a default gives one", () => {
  const ctx = sampleContext({ lead: { ...sampleContext().lead!, company: null, emails: [] } });
  assert.deepEqual(renderTemplate("[{{lead.company}}][{{lead.company}}][{{lead.emails | list}}]", ctx, "plain"), {
    text: "[][][]", missing: ["lead.company", "lead.emails"],
  });
  assert.deepEqual(renderTemplate('{{lead.company | default: "—"}}', ctx, "plain"), { text: "—", missing: [] });
  // no meeting at all (a lead trigger rendered by hand), and a path no context has
  const noMeeting = sampleContext({ meeting: undefined });
  assert.deepEqual(renderTemplate("{{meeting.title}}|{{event.to_stage}}", noMeeting, "plain"), {
    text: "|", missing: ["meeting.title", "event.to_stage"],
  });
  // prototype properties are not values
  assert.deepEqual(renderTemplate("{{lead.constructor}}{{team.__proto__}}", ctx, "plain"), {
    text: "", missing: ["lead.constructor", "team.__proto__"],
  });
  assert.throws(() => renderTemplate("{{lead.name", ctx, "plain"), TemplateError);
});

Deno.test("renderTemplate: a value is never expanded again, whatever it holds", () => {
  const ctx = sampleContext({ lead: { ...sampleContext().lead!, name: "{{team.name}} {{lead.owner_email}}" } });
  assert.equal(renderTemplate("Hi {{lead.name}}", ctx, "plain").text, "Hi {{team.name}} {{lead.owner_email}}");
  assert.equal(renderTemplate("Hi {{lead.name}}", ctx, "slack").text, "Hi {{team.name}} {{lead.owner_email}}");
  // braces inside a placeholder (a default's text included) are refused rather than half-read
  assert.throws(() => compileTemplate('{{lead.company | default: "{{team.name}}"}}', "lead.created"), /nested braces/);
  assert.throws(() => compileTemplate('{{lead.company | default: "}"}}', "lead.created"), TemplateError);
});

Deno.test("renderTemplate slack: & < > of values become entities, the template's own text is left alone", () => {
  const ctx = sampleContext({ lead: { ...sampleContext().lead!, name: "<!channel> Tom & <@U123>", company: "A>B" } });
  const out = renderTemplate("*New:* <https://x.test|{{lead.name}}> {{lead.company}} & co", ctx, "slack");
  assert.equal(out.text, "*New:* <https://x.test|&lt;!channel&gt; Tom &amp; &lt;@U123&gt;> A&gt;B & co");
  // escaping follows the filters: truncate counts the raw text, the entity is never cut in half
  assert.equal(renderTemplate("{{lead.name | truncate: 3}}", ctx, "slack").text, "&lt;!…");
  assert.equal(renderTemplate("{{lead.name}}", ctx, "plain").text, "<!channel> Tom & <@U123>");
});

Deno.test("renderTemplate discord: @everyone, @here, user/role/channel mentions and masked links are neutralised", () => {
  const name = "@everyone @here <@123> <@!42> <@&1> <#1> [click](https://evil.test) **bold**";
  const ctx = sampleContext({ lead: { ...sampleContext().lead!, name } });
  const out = renderTemplate("**Lead:** {{lead.name}} @here", ctx, "discord").text;
  assert.equal(
    out,
    `**Lead:** @${ZWSP}everyone @${ZWSP}here <${ZWSP}@123> <${ZWSP}@!42> <${ZWSP}@&1> <${ZWSP}#1> ` +
      "\\[click\\](https://evil.test) \\*\\*bold\\*\\* @here",
  );
  assert.ok(!/(^|[^\u200b])@(everyone|here)\b(?! *$)/.test(out.replace(/ @here$/, "")));
  assert.ok(!/<[@#]/.test(out));
  // a value starting a line cannot become a heading, a quote or a list
  const heading = sampleContext({ meeting: { ...sampleContext().meeting!, summary: "# Big\n> quote\n- item" } });
  assert.equal(renderTemplate("{{meeting.summary}}", heading, "discord").text, "\\# Big\n\\> quote\n\\- item");
});

Deno.test("post_slack / post_discord through notify's payloads: values escaped exactly once, nothing pings", async () => {
  const { ACTIONS } = await import("../_shared/automations/catalog.ts");
  const { slackPayload } = await import("../_shared/chat/slack.ts");
  const { discordPayload } = await import("../_shared/chat/discord.ts");
  const escapeOf = (type: string) => ACTIONS.find((a) => a.type === type)!.template!.escape;
  const ctx = sampleContext({ lead: { ...sampleContext().lead!, name: "<!channel> Tom & Jerry @everyone <@1>" } });

  const slackText = renderTemplate("Met {{lead.name}}", ctx, escapeOf("post_slack")).text;
  // messages.ts hands the rendered text to notify() as markdown
  const slackBody = JSON.stringify(slackPayload({ title: "", text: slackText, format: "markdown" }));
  assert.ok(slackBody.includes("Met &lt;!channel&gt; Tom &amp; Jerry"), slackBody);
  assert.ok(!slackBody.includes("&amp;amp;") && !slackBody.includes("&amp;lt;"), slackBody);
  // rendering for Slack and then posting through notify would escape twice: the reason ACTIONS says "markdown"
  const twice = JSON.stringify(slackPayload({ title: "", text: renderTemplate("{{lead.name}}", ctx, "slack").text }));
  assert.ok(twice.includes("&amp;amp;"));

  const discordText = renderTemplate("Met {{lead.name}}", ctx, escapeOf("post_discord")).text;
  const discordBody = discordPayload({ title: "", text: discordText, format: "markdown" });
  assert.deepEqual(discordBody.allowed_mentions, { parse: [] });
  assert.equal(discordBody.embeds[0].description, `Met <!channel> Tom & Jerry @${ZWSP}everyone <${ZWSP}@1>`);
});
