import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, Check, FlaskConical, Loader2, Send, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { ErrorAlert } from "@/components/ErrorAlert";
import { CodeBlock } from "./CodeBlock";
import { useTestRule } from "@/hooks/useAutomations";
import { api } from "@/lib/api";
import { chatPostText, readChatPost, readPlannedTasks, readWebhookDelivery } from "@/lib/automationOutputs";
import { TaskOutcomes, WebhookDeliveryView } from "./StepOutcome";
import { CONDITION_FIELDS, MESSAGE_ACTIONS, OP_LABELS, actionLabel, inputText, isMeetingTrigger, showValue } from "@/lib/automationText";
import type { Catalog, DryRunResult, RuleBody } from "@/lib/automationTypes";
import { meetingStart, meetingTitle } from "@/lib/meetings";
import { formatDate, formatTime } from "@/lib/utils";

/** How many recent meetings (or leads, for lead triggers) the test panel offers. */
export const TEST_SUBJECTS = 20;

/**
 * The editor's test: a dry run of the draft on one of the team's last 20 meetings (or leads, for lead triggers):
 * each condition with the value it saw, each action's resolved input and what it would do, missing variables as
 * warnings. Nothing is written; "Send test messages" (admins) really sends the message actions, marked as a test.
 */
export function TestPanel({
  teamId,
  ruleId,
  draft,
  catalog,
  admin,
}: {
  teamId: string;
  /** null: the rule is not saved yet; the draft is tested all the same */
  ruleId: string | null;
  draft: RuleBody;
  catalog: Catalog | undefined;
  admin: boolean;
}) {
  const meetingTrigger = isMeetingTrigger(draft.trigger);
  const needsLead = draft.trigger === "meeting.linked_to_lead";
  const meetings = useQuery({
    queryKey: ["automation-test-meetings", teamId],
    queryFn: () => api.listMeetings(teamId).then((p) => p.meetings.slice(0, TEST_SUBJECTS)),
    enabled: meetingTrigger,
  });
  const leads = useQuery({
    queryKey: ["automation-test-leads", teamId],
    queryFn: () => api.listLeads(teamId, { limit: TEST_SUBJECTS }).then((p) => p.leads),
    enabled: !meetingTrigger,
  });
  const [subject, setSubject] = useState("");
  const test = useTestRule(teamId, ruleId);
  const [sent, setSent] = useState(false);
  const options = meetingTrigger
    ? (meetings.data ?? []).map((m) => ({
        id: m.id,
        // a meeting linked to no lead never fires "linked to a lead" (the test answers 409): said in its label
        label: [
          meetingTitle(m),
          formatDate(meetingStart(m)),
          m.leads.length > 0 ? m.leads.map((l) => l.name).join(", ") : needsLead ? "no lead: would not fire" : "no lead",
        ].filter(Boolean).join(" · "),
      }))
    : (leads.data ?? []).map((l) => ({ id: l.id, label: l.company ? `${l.name} · ${l.company}` : l.name }));
  const chosen = subject || options[0]?.id || "";
  const list = meetingTrigger ? meetings : leads;
  const hasMessages = draft.actions.some((a) => MESSAGE_ACTIONS.includes(a.type));

  const run = (send: boolean) => {
    if (!chosen) return;
    setSent(send);
    test.mutate({ ...(meetingTrigger ? { meetingId: chosen } : { leadId: chosen }), rule: draft, ...(send ? { send: true } : {}) });
  };

  return (
    <section aria-labelledby="test-heading" className="rounded-lg border border-border p-4">
      <h2 id="test-heading" className="text-base font-semibold">
        Test
      </h2>
      <p className="mt-1 text-sm text-muted-foreground">
        Runs the automation as it is in the editor on a real {meetingTrigger ? "meeting" : "lead"}, without doing
        anything: no tasks, notes, stages or messages.{ruleId === null && " It is not saved yet: the test runs the draft."}
      </p>
      {list.isError ? (
        <div className="mt-3">
          <ErrorAlert title={`Couldn't load the ${meetingTrigger ? "meetings" : "leads"}`} error={list.error} onRetry={() => list.refetch()} />
        </div>
      ) : list.isSuccess && options.length === 0 ? (
        <p className="mt-3 text-sm text-muted-foreground">
          {meetingTrigger ? "No meetings yet: connect Fathom and record one to test on it." : "No leads yet."}
        </p>
      ) : (
        <div className="mt-3 flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1 basis-64">
            <Label htmlFor="test-subject">{meetingTrigger ? "Meeting" : "Lead"}</Label>
            <NativeSelect id="test-subject" className="mt-1" value={chosen} disabled={list.isPending} onChange={(e) => setSubject(e.target.value)}>
              {list.isPending && <option value="">Loading…</option>}
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button variant="outline" disabled={!chosen || test.isPending} onClick={() => run(false)}>
            {test.isPending && !sent ? <Loader2 className="animate-spin" aria-hidden="true" /> : <FlaskConical aria-hidden="true" />}
            Test
          </Button>
          {admin && hasMessages && (
            <Button variant="outline" disabled={!chosen || test.isPending} onClick={() => run(true)}>
              {test.isPending && sent ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Send aria-hidden="true" />}
              Send test messages
            </Button>
          )}
        </div>
      )}
      <div aria-live="polite" className="mt-4">
        {test.isError && <ErrorAlert title="The test didn't run" error={test.error} />}
        {test.isSuccess && <TestResult teamId={teamId} result={test.data} catalog={catalog} sent={sent} />}
      </div>
    </section>
  );
}

function Mark({ ok }: { ok: boolean }) {
  return ok ? (
    <Check className="size-4 shrink-0 text-emerald-700" aria-label="passed" />
  ) : (
    <X className="size-4 shrink-0 text-red-700" aria-label="failed" />
  );
}

export function TestResult({
  teamId,
  result,
  catalog,
  sent,
}: {
  teamId: string;
  result: DryRunResult;
  catalog: Catalog | undefined;
  sent: boolean;
}) {
  const c = result.conditions;
  return (
    <div className="flex flex-col gap-4" data-testid="test-result">
      <div>
        <h3 className="text-sm font-semibold">
          {c.results.length === 0 ? "No conditions: it would run" : c.passed ? "Conditions met: it would run" : "Conditions not met: it would not run"}
        </h3>
        {c.results.length > 0 && (
          <ul className="mt-2 flex flex-col gap-1 text-sm">
            {c.results.map((r, i) => (
              <li key={i} className="flex items-start gap-2">
                <Mark ok={r.passed} />
                <span>
                  {CONDITION_FIELDS[r.field]?.label ?? r.field} {OP_LABELS[r.op] ?? r.op} {showValue(r.value)}
                  <span className="text-muted-foreground"> (actual: {showValue(r.actual)})</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {result.missing.length > 0 && (
        <div className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          <div>
            <div className="font-medium">Variables without a value on this {result.missing.some((m) => m.startsWith("lead.")) ? "lead" : "meeting"}</div>
            <p>{result.missing.map((m) => `{{${m}}}`).join(", ")} would be empty.</p>
          </div>
        </div>
      )}
      <ol className="flex flex-col gap-2">
        {result.actions.map((a) => (
          <li key={a.index} className="rounded-md border border-border p-3">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium">
                {a.index + 1}. {actionLabel(a.type, catalog)}
              </span>
              {a.would && <span className="text-muted-foreground">{a.would}</span>}
              {sent && a.sent && (
                <span className={a.sent.ok ? "text-emerald-700" : "text-red-700"}>
                  {a.sent.ok ? testSentText(a.posted) : `Not sent: ${a.sent.error ?? "failed"}`}
                </span>
              )}
            </div>
            <WouldSend teamId={teamId} index={a.index} input={a.input} delivery={a.delivery} tasks={a.tasks} />
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * What an action of the dry run would send: a webhook by its endpoint's name and JSON body (and once sent, its
 * webhook-id and the answer), never its settings; create_tasks its tasks with their assignees and why; any other
 * action its resolved input.
 */
function WouldSend({
  teamId,
  index,
  input,
  delivery,
  tasks,
}: {
  teamId: string;
  index: number;
  input: unknown;
  delivery: unknown;
  tasks: unknown;
}) {
  // create_tasks: each task with its assignee and why, as the run page shows a real run's tasks
  const planned = readPlannedTasks(tasks);
  if (planned) {
    return (
      <div className="mt-2 text-sm">
        <TaskOutcomes teamId={teamId} runId={null} tasks={planned} />
      </div>
    );
  }
  const webhook = readWebhookDelivery(delivery);
  if (webhook) {
    return <WebhookDeliveryView delivery={webhook} label={`What action ${index + 1} ${webhook.sent ? "sent" : "would send"}`} />;
  }
  if (input === undefined || input === null) return null;
  return <CodeBlock label={`What action ${index + 1} would send`}>{inputText(input)}</CodeBlock>;
}

/** "Test message sent: posted to #sales in Acme at 20:53:47" when the dry run says where (messages.ts ChatPost). */
function testSentText(posted: unknown): string {
  const post = readChatPost(posted);
  if (!post) return "Test message sent";
  const where = chatPostText(post);
  return `Test message sent: ${where.charAt(0).toLowerCase()}${where.slice(1)}${post.postedAt ? ` at ${formatTime(post.postedAt)}` : ""}`;
}
