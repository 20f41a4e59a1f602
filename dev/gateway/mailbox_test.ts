// The dev mailbox holds confirmation links: only requests addressed to this machine get them (DNS rebinding).
import assert from "node:assert/strict";
import { createMailbox } from "./mailbox.ts";

function mailboxWithOneLink() {
  const mailbox = createMailbox();
  mailbox.deliver({ to: "ivy@example.com", subject: "Confirm your signup", text: "link", links: { confirmation: "http://127.0.0.1:54321/auth/v1/verify?token=t" } });
  return mailbox;
}

Deno.test("mailbox: a request for another host name (a rebinding page) gets 403 and no link", async () => {
  const mailbox = mailboxWithOneLink();
  for (const host of ["attacker.example", "attacker.example:54321", "127.0.0.1.attacker.example", "localhost.evil"]) {
    const res = mailbox.handle(new Request(`http://${host}/_dev/mailbox?email=ivy@example.com`));
    assert.equal(res.status, 403, host);
    assert.ok(!(await res.text()).includes("verify?token"), host);
  }
});

Deno.test("mailbox: 127.0.0.1, localhost and [::1], with a port or not, read the messages", async () => {
  const mailbox = mailboxWithOneLink();
  for (const host of ["127.0.0.1:54321", "localhost:54321", "LOCALHOST", "[::1]:54321"]) {
    const res = mailbox.handle(new Request(`http://${host}/_dev/mailbox?email=ivy@example.com`));
    assert.equal(res.status, 200, host);
    assert.equal((await res.json()).messages.length, 1, host);
  }
});
