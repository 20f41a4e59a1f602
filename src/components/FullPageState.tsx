import type { ReactNode } from "react";
import { Loader2 } from "lucide-react";

export function FullPageSpinner({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="flex min-h-screen items-center justify-center text-sm text-muted-foreground" role="status">
      <Loader2 className="mr-2 size-4 animate-spin" aria-hidden="true" />
      {label}
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  heading: Heading = "h2",
}: {
  icon: ReactNode;
  title: string;
  children?: ReactNode;
  /** h1 when the state is the whole page (a not-found page), else h2 under the page's own title */
  heading?: "h1" | "h2";
}) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center px-6 py-20 text-center">
      <div className="mb-4 flex size-12 items-center justify-center rounded-full bg-muted text-muted-foreground">
        {icon}
      </div>
      <Heading className="text-base font-semibold">{title}</Heading>
      {children && <div className="mt-2 text-sm text-muted-foreground">{children}</div>}
    </div>
  );
}
