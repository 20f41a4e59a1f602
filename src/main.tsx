import { StrictMode, startTransition } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App, preloadPageFor } from "./App";
import { Toaster } from "./components/ui/sonner";
import { SessionProvider } from "./hooks/useSession";
import { ApiError } from "./lib/api";
import { prefetchEntryData } from "./lib/entryPrefetch";
import { handOffShell, SHELL_ID } from "./shell/handoff";
import { runInTasks } from "./shell/startup";
import "./index.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: true,
      // client errors (403/404/401) will not get better by retrying
      retry: (count, error) => !(error instanceof ApiError && error.status && error.status < 500) && count < 2,
    },
  },
});

// The first page's chunk and data, in parallel with rendering the app (each would otherwise wait for the level above)
const prefetchData = () => void prefetchEntryData(window.location.pathname, queryClient);
const preloadPage = () => void preloadPageFor(window.location.pathname).catch(() => undefined);

const root = document.getElementById("root")!;
// index.html's prerendered shell (when it fitted the address) stays on screen until the app shows its own content
const behindShell = document.getElementById(SHELL_ID) !== null;
handOffShell(document, root);

const app = (
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter>
          <App />
        </BrowserRouter>
        <Toaster />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>
);
// Behind the shell the page is on screen already and nothing waits for these steps but the handover: each is a task
// of its own (runInTasks; together they were one 40-170 ms task at 4x CPU slowdown), and the first render is a
// transition, so React yields to the browser every few ms instead of one long task. Without the shell, the app's
// first paint is this render's, so everything runs at once as before.
if (behindShell) {
  void runInTasks([prefetchData, preloadPage, () => startTransition(() => createRoot(root).render(app))]);
} else {
  prefetchData();
  preloadPage();
  createRoot(root).render(app);
}
