import type { Member, PersonRef, Task } from "./types";

/** Today in the browser's time zone, "YYYY-MM-DD" (a task's due date is a calendar day, not an instant). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** "YYYY-MM-DD" plus `days`, by the calendar. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return localToday(new Date(y, m - 1, d + days));
}

/** An open task whose due day is before today. */
export function isOverdue(task: Pick<Task, "due_on" | "done">, today: string = localToday()): boolean {
  return !task.done && !!task.due_on && task.due_on < today;
}

/** "Today", "Tomorrow", "Yesterday", else the day in the reader's locale ("Mar 10, 2026"); "" without a date. */
export function dueLabel(due: string | null, today: string = localToday()): string {
  if (!due) return "";
  if (due === today) return "Today";
  if (due === addDays(today, 1)) return "Tomorrow";
  if (due === addDays(today, -1)) return "Yesterday";
  const [y, m, d] = due.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** A person's name to show: name, else e-mail, else "Unknown". */
export function personName(p: PersonRef | null | undefined, members?: Member[]): string {
  if (!p) return "Unknown";
  const member = members?.find((m) => m.user_id === p.id);
  return p.name || member?.full_name || p.email || member?.email || "Unknown";
}

export const SOURCE_LABELS: Record<Task["source"], string> = {
  person: "Added by hand",
  action_item: "From an action item",
  automation: "From an automation",
};
