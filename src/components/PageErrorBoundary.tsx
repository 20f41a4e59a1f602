import { Component, type ReactNode } from "react";
import { AlertTriangle, RefreshCw } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export const PAGE_ERROR_TITLE = "This page couldn't be displayed";

/**
 * A dynamic import() that failed to fetch its module: Chromium "Failed to fetch dynamically imported module",
 * Firefox "error loading dynamically imported module", Safari "Importing a module script failed", Vite's preload
 * "Unable to preload CSS".
 */
export function isChunkLoadError(error: Error): boolean {
  return /dynamically imported module|Importing a module script failed|Unable to preload CSS/i.test(error.message);
}

interface Props {
  /** The boundary clears itself when this changes (the route's pathname): another page gets a fresh start. */
  resetKey: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  /** the resetKey last rendered with */
  key: string;
}

/**
 * Catches a render error of the page inside it, so one broken page shows a readable message with "Try again"
 * instead of a blank screen; whatever sits outside (the sidebar, the header) stays usable. React 19 still needs a
 * class for this (getDerivedStateFromError); react-error-boundary is not a dependency. The error's own message is
 * for developers: React logs it to the console, the person sees a plain sentence.
 */
export class PageErrorBoundary extends Component<Props, State> {
  state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    // another route: forget the last page's error
    return props.resetKey === state.key ? null : { key: props.resetKey, error: null };
  }

  reset = () => this.setState({ error: null });

  render() {
    if (!this.state.error) return this.props.children;
    const unloaded = isChunkLoadError(this.state.error);
    return (
      <div className="mx-auto w-full max-w-2xl px-4 py-8 md:px-8">
        <Alert variant="destructive">
          <AlertTriangle />
          <AlertTitle>{PAGE_ERROR_TITLE}</AlertTitle>
          <AlertDescription className="flex flex-col items-start gap-2">
            {unloaded ? (
              <p>
                Part of the app couldn't be loaded: the connection dropped, or a new version was just released. Reload
                the page to get it.
              </p>
            ) : (
              <p>
                Something in the data on this page could not be shown. Try again, or open another page from the menu;
                if it keeps happening, tell your admin which page it was.
              </p>
            )}
            {/* a failed lazy import is remembered by React.lazy: only a reload fetches it again */}
            <Button size="sm" variant="outline" onClick={unloaded ? () => window.location.reload() : this.reset}>
              <RefreshCw aria-hidden="true" />
              {unloaded ? "Reload" : "Try again"}
            </Button>
          </AlertDescription>
        </Alert>
      </div>
    );
  }
}
