// HTML shared by the sandbox family's pages. Every value that reaches HTML goes through escapeHtml: query strings
// and posted messages are attacker-controlled.

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export interface PageShell {
  /** The <title>, escaped here. */
  title: string;
  /** Header line, e.g. "Slack sandbox"; escaped here. */
  brand: string;
  /** Header subline, e.g. "A local stand-in for Slack, not the real slack.com"; escaped here. */
  tagline: string;
  /** Accent colour of header and buttons, a CSS colour literal chosen by the code (never by input). */
  colour: string;
  /** Main content; must already be escaped HTML. */
  body: string;
}

/** The page chrome every sandbox page uses (one stylesheet; only the accent colour and header differ). */
export function pageShell({ title, brand, tagline, colour, body }: PageShell): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f6f5fb; color: #1d1b29; }
  header { background: ${colour}; color: #fff; padding: 14px 24px; }
  header strong { font-size: 18px; }
  header small { display: block; opacity: .85; }
  main { max-width: 860px; margin: 24px auto; padding: 0 16px; }
  .card { background: #fff; border-radius: 10px; padding: 20px 24px; box-shadow: 0 1px 3px rgba(0,0,0,.08); margin-bottom: 16px; }
  button { font: inherit; border-radius: 8px; padding: 9px 18px; cursor: pointer; border: 1px solid ${colour}; }
  button.primary { background: ${colour}; color: #fff; }
  button.secondary { background: #fff; color: ${colour}; }
  input, select { font: inherit; padding: 7px 9px; border: 1px solid #ccc; border-radius: 6px; min-width: 280px; }
  code { background: #eeeaff; padding: 1px 5px; border-radius: 4px; }
  table { border-collapse: collapse; width: 100%; font-size: 14px; }
  td, th { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
  .error { color: #a4001d; }
</style>
</head>
<body>
<header><strong>${escapeHtml(brand)}</strong><small>${escapeHtml(tagline)}</small></header>
<main>
${body}
</main>
</body>
</html>`;
}

/** The consent form's hidden fields: each authorize parameter that was given, escaped (null ones are left out). */
export function hiddenInputs(params: Record<string, string | null>): string {
  return Object.entries(params)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n    ");
}
