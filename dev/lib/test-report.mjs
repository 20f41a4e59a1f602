// Which tests failed, read back from the runners' own reports, so `npm test`'s last lines name them: CI keeps only
// the tail of a long log, and a failure in the first suite scrolls away under the next suites' output.
import { existsSync, readFileSync } from 'node:fs';

const MAX_MESSAGE = 400;
const relative = (file) => (file.startsWith(`${process.cwd()}/`) ? file.slice(process.cwd().length + 1) : file);

function firstLines(text, lines = 4) {
  const short = String(text ?? '').split('\n').slice(0, lines).join('\n');
  return short.length > MAX_MESSAGE ? `${short.slice(0, MAX_MESSAGE)}...` : short;
}

/**
 * Failures in a Vitest JSON report (`--reporter=json --outputFile.json=<path>`).
 * @returns {{test: string, message: string}[] | null} null when the report is missing or unreadable
 */
export function vitestFailures(path) {
  if (!existsSync(path)) return null;
  try {
    const report = JSON.parse(readFileSync(path, 'utf8'));
    const failures = [];
    for (const file of report.testResults ?? []) {
      const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
      const name = relative(file.name);
      for (const t of failed) failures.push({ test: `${name} > ${t.fullName}`, message: firstLines(t.failureMessages?.[0]) });
      // a file that failed to load or whose hooks threw has no failed test, only a message
      if (file.status === 'failed' && failed.length === 0) failures.push({ test: name, message: firstLines(file.message) });
    }
    return failures;
  } catch {
    return null;
  }
}

const unescapeXml = (s) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/**
 * Failures in the JUnit XML `deno test --junit-path=<path>` writes. Deno's writer puts each <testcase> on its own
 * element with `name` and `classname` attributes and a <failure message="..."> child when it failed.
 * @returns {{test: string, message: string}[] | null} null when the report is missing
 */
export function junitFailures(path) {
  if (!existsSync(path)) return null;
  const xml = readFileSync(path, 'utf8');
  const failures = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*)>([\s\S]*?)<\/testcase>/g)) {
    const failure = /<failure\b[^>]*message="([^"]*)"/.exec(match[2]);
    if (!failure) continue;
    const name = /\bname="([^"]*)"/.exec(match[1])?.[1] ?? '?';
    const file = /\bclassname="([^"]*)"/.exec(match[1])?.[1] ?? '';
    failures.push({ test: `${unescapeXml(file)} > ${unescapeXml(name)}`, message: firstLines(unescapeXml(failure[1])) });
  }
  return failures;
}
