// A Zoom audio transcript (a WebVTT file, providers.md §3) into the CRM's transcript: the array of
// {speaker: {display_name, matched_calendar_invitee_email?}, text, timestamp: "HH:MM:SS"} items that Fathom's importer
// stores today (issue 12's contract). Parsed with `webvtt-parser` (w3c/webvtt.js, the W3C's own parser behind its
// validator: spec-complete cue timings and settings, no dependencies); Zoom writes one speaker per cue as a
// "Speaker Name: text" prefix (no <v> voice spans), so the speaker is read from the cue's text (or from a <v> span,
// should Zoom ever use one). Speakers are matched to the meeting's participants by name to carry their e-mail.
//
// The parser is loaded on first use (a dynamic import, still bundled on deploy): until `npm install` has put
// webvtt-parser into node_modules, every other function of the local stack keeps loading.
import { cleanDisplayName } from "../display-name.ts";
import { cleanText } from "../fathom/wire.ts";
import type { ZoomParticipant } from "./wire.ts";

export interface TranscriptItem {
  speaker: { display_name: string; matched_calendar_invitee_email?: string };
  text: string;
  /** from the start of the recording */
  timestamp: string;
}

/** Transcripts bigger than this are cut (a 10-hour meeting is ~1 MB of WebVTT). */
export const MAX_TRANSCRIPT_BYTES = 5 * 1024 * 1024;
const MAX_ITEMS = 20_000;
const MAX_LINE = 10_000;

interface Cue {
  startTime: number;
  text: string;
  tree: { children: Node[] };
}
/** webvtt-parser's cue tree: text, and spans (`<v Speaker>`: name "v", the speaker in `value`) */
type Node = { type: "text"; value: string } | { type: "object"; name: string; value?: string; children: Node[] };

let parser: Promise<{ parse(input: string, mode?: string): { cues: Cue[]; errors: unknown[] } }> | null = null;

function loadParser() {
  parser ??= import("webvtt-parser").then((mod) => {
    const { WebVTTParser } = (mod.default ?? mod) as { WebVTTParser: new () => { parse(input: string, mode?: string): { cues: Cue[]; errors: unknown[] } } };
    return new WebVTTParser();
  }).catch((err) => {
    parser = null; // a later call may find it installed
    throw err;
  });
  return parser;
}

function plain(nodes: Node[]): string {
  return nodes.map((n) => (n.type === "text" ? n.value : plain(n.children))).join("");
}

function voiceOf(nodes: Node[]): string | null {
  for (const n of nodes) if (n.type === "object" && n.name === "v" && n.value) return n.value;
  return null;
}

function hhmmss(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** "Jane Doe: hello" -> ["Jane Doe", "hello"]; a colon further than 80 characters in is text, not a speaker. */
function splitSpeaker(line: string): [string | null, string] {
  const m = /^([^:\n]{1,80}?):\s+([\s\S]*)$/.exec(line);
  return m ? [m[1].trim(), m[2]] : [null, line];
}

const nameKey = (name: string) => name.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ");

/**
 * Parses `vtt` into transcript items, one per cue with text, in cue order. A cue without a speaker prefix keeps the
 * previous cue's speaker ("Unknown speaker" at the start). Throws only when the parser cannot be loaded; a file the
 * parser cannot read at all gives an empty array (its `errors` are not fatal: WebVTT parsing recovers per cue).
 */
export async function parseZoomTranscript(vtt: string, participants: ZoomParticipant[] = []): Promise<TranscriptItem[]> {
  const p = await loadParser();
  const input = vtt.length > MAX_TRANSCRIPT_BYTES ? vtt.slice(0, MAX_TRANSCRIPT_BYTES) : vtt;
  const { cues } = p.parse(input, "metadata");
  const emailByName = new Map<string, string>();
  for (const person of participants) if (person.name && person.email) emailByName.set(nameKey(person.name), person.email);
  const items: TranscriptItem[] = [];
  let speaker: string | null = null;
  for (const cue of cues.slice(0, MAX_ITEMS)) {
    const voice = voiceOf(cue.tree.children);
    const raw = plain(cue.tree.children).replace(/\s+/g, " ").trim();
    const [named, rest] = voice ? [voice, raw] : splitSpeaker(raw);
    const text = cleanText(rest.trim(), MAX_LINE);
    if (!text) continue;
    speaker = cleanDisplayName(cleanText(named, 200)) ?? speaker;
    const display = speaker ?? "Unknown speaker";
    const email = emailByName.get(nameKey(display));
    items.push({
      speaker: email ? { display_name: display, matched_calendar_invitee_email: email } : { display_name: display },
      text,
      timestamp: hhmmss(cue.startTime),
    });
  }
  return items;
}
