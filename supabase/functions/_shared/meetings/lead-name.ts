/**
 * The name of a lead created for an unknown meeting attendee (store.ts createLead): the invitee's name when it
 * has one, else a name read from the e-mail's local part when it clearly holds one ("jane.doe", "jane_doe+crm" ->
 * "Jane Doe"), else the e-mail address itself ("someone@newco.example"): a role or nickname such as "someone",
 * "info" or "jd42" is no person's name, and the address at least says who it is until someone renames the lead.
 * At most 200 characters (leads.name's limit). `email` is normalized (lower case, NFC; email.ts).
 */
export function autoLeadName(inviteeName: string | null | undefined, email: string): string {
  const name = inviteeName?.trim();
  if (name) return name.slice(0, 200);
  const local = email.split("@")[0].split("+")[0];
  const words = local.split(/[._-]+/).filter((w) => /^\p{L}{2,}$/u.test(w));
  // every part must be a word: "jane.doe" is a name, "jane.doe.1987" or "sales-team2" is not certain enough
  const allWords = words.length >= 2 && words.length === local.split(/[._-]+/).filter(Boolean).length;
  if (allWords) return words.map(capitalize).join(" ").slice(0, 200);
  return email.slice(0, 200);
}

function capitalize(word: string): string {
  const [first, ...rest] = [...word];
  return first.toLocaleUpperCase("en") + rest.join("");
}
