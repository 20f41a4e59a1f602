import Markdown, { defaultUrlTransform, type Components } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import { cn, isHttpUrl } from "@/lib/utils";

/** Links may only point to http(s) or mailto; anything else (javascript:, data:, …) is dropped. */
function safeUrl(url: string): string {
  const cleaned = defaultUrlTransform(url);
  if (!cleaned) return "";
  if (isHttpUrl(cleaned) || /^mailto:/i.test(cleaned)) return cleaned;
  return "";
}

const components: Components = {
  a: ({ href, children }) =>
    href && (isHttpUrl(href) || /^mailto:/i.test(href)) ? (
      <a href={href} target="_blank" rel="noopener noreferrer" className="font-medium text-primary underline underline-offset-2">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  // Summaries never need images: a remote image would leak the reader's IP to whoever wrote the markdown.
  img: ({ alt }) => (alt ? <span>{alt}</span> : null),
};

/**
 * Markdown from an outside source (Fathom's summary), rendered safely: raw HTML is skipped, the tree is sanitized
 * (rehype-sanitize's GitHub schema), URLs are restricted to http(s)/mailto and links open in a new tab.
 */
export function SafeMarkdown({ children, className }: { children: string; className?: string }) {
  return (
    <div
      className={cn(
        "text-sm leading-relaxed [&_h1]:mb-2 [&_h1]:mt-4 [&_h1]:text-base [&_h1]:font-semibold [&_h2]:mb-2 [&_h2]:mt-4 [&_h2]:text-sm [&_h2]:font-semibold [&_h3]:mb-1.5 [&_h3]:mt-3 [&_h3]:text-sm [&_h3]:font-semibold [&_p]:my-2 [&_ul]:my-2 [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:my-2 [&_ol]:list-decimal [&_ol]:pl-5 [&_li]:my-1 [&_blockquote]:border-l-2 [&_blockquote]:border-border [&_blockquote]:pl-3 [&_blockquote]:text-muted-foreground [&_code]:rounded [&_code]:bg-muted [&_code]:px-1 [&_code]:font-mono [&_code]:text-xs [&_hr]:my-4 [&>*:first-child]:mt-0",
        className,
      )}
      data-testid="safe-markdown"
    >
      <Markdown skipHtml rehypePlugins={[rehypeSanitize]} urlTransform={safeUrl} components={components}>
        {children}
      </Markdown>
    </div>
  );
}
