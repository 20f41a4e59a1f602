import { Fragment, useMemo, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { SearchInput } from "@/components/SearchInput";
import { filterTranscript, groupTranscript, recordingUrlAt, timestampToSeconds } from "@/lib/meetings";
import type { TranscriptItem } from "@/lib/types";

function Highlight({ text, q }: { text: string; q: string }) {
  const needle = q.trim().toLowerCase();
  if (!needle) return <>{text}</>;
  const parts: { s: string; hit: boolean }[] = [];
  const lower = text.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, at)) {
    if (i > at) parts.push({ s: text.slice(at, i), hit: false });
    parts.push({ s: text.slice(i, i + needle.length), hit: true });
    at = i + needle.length;
  }
  if (at < text.length) parts.push({ s: text.slice(at), hit: false });
  return (
    <>
      {parts.map((p, i) =>
        p.hit ? (
          <mark key={i} className="rounded-sm bg-amber-200/70 text-inherit">
            {p.s}
          </mark>
        ) : (
          <Fragment key={i}>{p.s}</Fragment>
        ),
      )}
    </>
  );
}

/**
 * The transcript: consecutive lines grouped by speaker, each timestamp a link to that moment in the recording.
 * `lang` (a BCP 47 tag, see meetings.ts languageTag) marks the spoken language for screen readers and hyphenation.
 */
export function Transcript({
  items,
  meetingUrl,
  lang,
}: {
  items: TranscriptItem[];
  meetingUrl: string | null;
  lang?: string | null;
}) {
  const [q, setQ] = useState("");
  const shown = useMemo(() => filterTranscript(items, q), [items, q]);
  const groups = useMemo(() => groupTranscript(shown), [shown]);

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <SearchInput
          value={q}
          onChange={setQ}
          label="Search the transcript"
          placeholder="Search the transcript"
          className="w-full max-w-xs"
        />
        {q.trim() && (
          <span className="text-xs text-muted-foreground" aria-live="polite">
            {shown.length} {shown.length === 1 ? "line matches" : "lines match"}
          </span>
        )}
      </div>
      {groups.length === 0 ? (
        <p className="text-sm text-muted-foreground">{q.trim() ? "No line matches your search." : "No transcript."}</p>
      ) : (
        <ol className="flex flex-col gap-4" aria-label="Transcript" lang={lang ?? undefined}>
          {groups.map((g, gi) => (
            <li key={gi} className="flex gap-3" data-testid="transcript-group">
              <Avatar name={g.speaker} email={g.email} className="mt-0.5" />
              <div className="min-w-0 flex-1">
                <div className="text-sm font-semibold">{g.speaker}</div>
                <div className="mt-0.5 flex flex-col gap-1">
                  {g.items.map((item, ii) => {
                    const href = recordingUrlAt(meetingUrl, timestampToSeconds(item.timestamp));
                    return (
                      <p key={ii} className="flex gap-3 text-sm leading-relaxed">
                        {href && item.timestamp ? (
                          <a
                            href={href}
                            target="_blank"
                            rel="noopener noreferrer"
                            className="w-16 shrink-0 pt-px font-mono text-xs tabular-nums text-muted-foreground hover:text-primary hover:underline"
                            aria-label={`Play from ${item.timestamp}`}
                          >
                            {item.timestamp}
                          </a>
                        ) : (
                          <span className="w-16 shrink-0 pt-px font-mono text-xs tabular-nums text-muted-foreground">
                            {item.timestamp}
                          </span>
                        )}
                        <span className="min-w-0 flex-1">
                          <Highlight text={item.text} q={q} />
                        </span>
                      </p>
                    );
                  })}
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
