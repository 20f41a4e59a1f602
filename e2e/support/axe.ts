// axe-core in the page under test: injected once per document through playwright-core, run over the whole document
// (an open dialog included; what Radix hides behind it with aria-hidden is skipped, as a screen reader skips it).
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export type Impact = 'critical' | 'serious' | 'moderate' | 'minor';

/**
 * One failing element. `rule`: an axe rule id. `target`: the element named so that it survives class and id changes
 * (axe's own selectors chain utility classes and Radix's generated ids, which move between renders):
 * `[data-testid of its nearest marked ancestor] tag "its accessible label or text, first 40 characters"`.
 * `selector`: axe's selector, for finding it in DevTools.
 */
export interface AxeFinding {
  rule: string;
  impact: Impact;
  target: string;
  selector: string;
  help: string;
  /** axe's summary of why this element fails (e.g. the contrast ratio found), first line. */
  detail: string;
}

/**
 * Runs axe's default rule set (WCAG 2.x A/AA and best practices, no experimental rules) on the page as it is now.
 * Resolves with one finding per failing element.
 */
export async function runAxe(page: Page): Promise<AxeFinding[]> {
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!present) await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    const describe = (selector: string) => {
      const element = document.querySelector(selector);
      if (!element) return selector;
      const tag = element.tagName.toLowerCase();
      if (tag === 'html' || tag === 'body') return tag;
      const testId = element.closest('[data-testid]')?.getAttribute('data-testid');
      const words = (e: Element | null | undefined) =>
        (e?.getAttribute('aria-label') ?? e?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      // A <dd> holds data (dates, counts) that change between runs: name it by its term.
      let previous = element.previousElementSibling;
      while (tag === 'dd' && previous && previous.tagName !== 'DT') previous = previous.previousElementSibling;
      const text = tag === 'dd' ? `after "${words(previous)}"` : `"${words(element)}"`;
      return `${testId ? `[${testId}] ` : ''}${tag}${text === '""' ? '' : ` ${text}`}`;
    };
    return results.violations.flatMap((violation) =>
      violation.nodes.map((node) => {
        const selector = node.target.map((t) => (Array.isArray(t) ? t.join(' >> ') : String(t))).join(' >> ');
        return {
          rule: violation.id,
          impact: (node.impact ?? violation.impact ?? 'minor') as 'critical' | 'serious' | 'moderate' | 'minor',
          target: node.target.length === 1 && typeof node.target[0] === 'string' ? describe(node.target[0]) : selector,
          selector,
          help: violation.help,
          detail: (node.failureSummary ?? '').split('\n').slice(1, 2).join('').trim(),
        };
      }),
    );
  });
}

/** `rule target`: how an allowlist names one violation. */
export function findingKey(finding: Pick<AxeFinding, 'rule' | 'target'>): string {
  return `${finding.rule} ${finding.target}`;
}
