/**
 * A block of JSON or message text that may scroll (at most 16 rem high): a named region that takes focus, so a
 * keyboard can scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function CodeBlock({ label, children }: { label: string; children: string }) {
  return (
    <pre
      role="region"
      aria-label={label}
      tabIndex={0}
      className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-muted p-2 font-mono text-xs outline-none focus-visible:ring-2 focus-visible:ring-ring"
    >
      {children}
    </pre>
  );
}
