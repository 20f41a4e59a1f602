import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { ArrowLeft, MapPinOff } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/FullPageState";

/**
 * Says that an address leads nowhere, instead of sending the person elsewhere without a word, and offers one way
 * back. `back` is an in-app path; the title is the page's heading.
 */
export function NotFoundPage({
  title = "Page not found",
  children = <p>There's nothing at this address. The link may be old or mistyped.</p>,
  back,
  backLabel,
  standalone = false,
}: {
  title?: string;
  children?: ReactNode;
  back: string;
  backLabel: string;
  /** outside the app's shell (which has the page's <main>): the page is its own landmark */
  standalone?: boolean;
}) {
  const Wrapper = standalone ? "main" : "div";
  return (
    <Wrapper className={standalone ? "flex min-h-screen items-center justify-center" : "w-full"}>
      <EmptyState icon={<MapPinOff className="size-5" aria-hidden="true" />} title={title} heading="h1">
        {children}
        <Button asChild size="sm" variant="outline" className="mt-4">
          <Link to={back}>
            <ArrowLeft aria-hidden="true" />
            {backLabel}
          </Link>
        </Button>
      </EmptyState>
    </Wrapper>
  );
}
