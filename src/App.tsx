import { lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from "react";
import { matchPath, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { PageErrorBoundary } from "@/components/PageErrorBoundary";
import { RequireAuth } from "@/pages/RequireAuth";
import { HomeRedirect, TeamLayout, TeamPageNotFound } from "@/pages/TeamLayout";

/**
 * A page loaded on first visit (its own chunk: the markdown pipeline, zod schemas and page-only libraries load
 * only with the pages that use them). `pick` names the page's export; pages keep named exports.
 */
function lazyPage<M>(load: () => Promise<M>, pick: (module: M) => ComponentType) {
  return lazy(() => load().then((module) => ({ default: pick(module) })));
}

const pages = {
  SignInPage: () => import("@/pages/SignInPage"),
  SignUpPage: () => import("@/pages/SignUpPage"),
  IntegrationsPage: () => import("@/pages/IntegrationsPage"),
  LeadsPage: () => import("@/pages/LeadsPage"),
  LeadDetailPage: () => import("@/pages/LeadDetailPage"),
  MeetingsPage: () => import("@/pages/MeetingsPage"),
  MeetingPage: () => import("@/pages/MeetingPage"),
  MembersPage: () => import("@/pages/MembersPage"),
  TasksPage: () => import("@/pages/TasksPage"),
  AutomationsPage: () => import("@/pages/AutomationsPage"),
  AutomationEditorPage: () => import("@/pages/AutomationEditorPage"),
  AutomationRunsPage: () => import("@/pages/AutomationRunsPage"),
  AutomationRunPage: () => import("@/pages/AutomationRunPage"),
  AutomationVersionPage: () => import("@/pages/AutomationVersionPage"),
};

const SignInPage = lazyPage(pages.SignInPage, (m) => m.SignInPage);
const SignUpPage = lazyPage(pages.SignUpPage, (m) => m.SignUpPage);
const IntegrationsPage = lazyPage(pages.IntegrationsPage, (m) => m.IntegrationsPage);
const LeadsPage = lazyPage(pages.LeadsPage, (m) => m.LeadsPage);
const LeadDetailPage = lazyPage(pages.LeadDetailPage, (m) => m.LeadDetailPage);
const MeetingsPage = lazyPage(pages.MeetingsPage, (m) => m.MeetingsPage);
const MeetingPage = lazyPage(pages.MeetingPage, (m) => m.MeetingPage);
const MembersPage = lazyPage(pages.MembersPage, (m) => m.MembersPage);
const TasksPage = lazyPage(pages.TasksPage, (m) => m.TasksPage);
const AutomationsPage = lazyPage(pages.AutomationsPage, (m) => m.AutomationsPage);
const AutomationEditorPage = lazyPage(pages.AutomationEditorPage, (m) => m.AutomationEditorPage);
const AutomationRunsPage = lazyPage(pages.AutomationRunsPage, (m) => m.AutomationRunsPage);
const AutomationRunPage = lazyPage(pages.AutomationRunPage, (m) => m.AutomationRunPage);
const AutomationVersionPage = lazyPage(pages.AutomationVersionPage, (m) => m.AutomationVersionPage);
// a mistyped address is rare: the page loads then (the budget of issue 10), not in every entry chunk
const NotFoundPage = lazy(() => import("@/pages/NotFoundPage").then((m) => ({ default: m.NotFoundPage })));

/**
 * Loads every page's module (resolves when all are loaded). Tests call it first so that a route renders as soon as
 * its data does; the app itself loads a page when it is visited.
 */
export async function preloadPages(): Promise<void> {
  await Promise.all(Object.values(pages).map((load) => load()));
}

/** Each page's path as <Routes> below spells it (under `/teams/:teamId`), for preloadPageFor. */
const pagePaths: [string, () => Promise<unknown>][] = [
  ["/sign-in", pages.SignInPage],
  ["/sign-up", pages.SignUpPage],
  ["/teams/:teamId/settings/integrations", pages.IntegrationsPage],
  ["/teams/:teamId/leads", pages.LeadsPage],
  ["/teams/:teamId/leads/:leadId", pages.LeadDetailPage],
  ["/teams/:teamId/meetings", pages.MeetingsPage],
  ["/teams/:teamId/meetings/:meetingId", pages.MeetingPage],
  ["/teams/:teamId/members", pages.MembersPage],
  ["/teams/:teamId/tasks", pages.TasksPage],
  ["/teams/:teamId/automations", pages.AutomationsPage],
  ["/teams/:teamId/automations/new", pages.AutomationEditorPage],
  // before ":ruleId", which would match them too
  ["/teams/:teamId/automations/runs", pages.AutomationRunsPage],
  ["/teams/:teamId/automations/runs/:runId", pages.AutomationRunPage],
  ["/teams/:teamId/automations/:ruleId", pages.AutomationEditorPage],
  ["/teams/:teamId/automations/:ruleId/versions/:version", pages.AutomationVersionPage],
];

/**
 * Starts loading the chunk of the page at `pathname` (an address the app was opened at), so that it downloads beside
 * the session check and the teams instead of after them: a team page's route renders only once the teams are there
 * (TeamLayout). Resolves when the chunk is loaded (at once for an address that is no page).
 */
export function preloadPageFor(pathname: string): Promise<unknown> {
  const hit = pagePaths.find(([path]) => matchPath(path, pathname));
  return hit ? hit[1]() : Promise.resolve();
}

/**
 * While a page's chunk loads: nothing for the first 300 ms (a quick load shows no flash), then a quiet line in the
 * page area; the shell around it stays.
 */
function PageFallback() {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setVisible(true), 300);
    return () => clearTimeout(timer);
  }, []);
  if (!visible) return null;
  return (
    <div className="flex min-h-40 items-center justify-center text-sm text-muted-foreground" role="status">
      Loading…
    </div>
  );
}

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageFallback />}>{children}</Suspense>;
}

export function App() {
  const location = useLocation();
  // Team pages have their own boundary inside the shell (TeamLayout); this one catches the rest (sign-in, redirects).
  return (
    <PageErrorBoundary resetKey={location.pathname}>
      <Routes>
        <Route path="/sign-in" element={<Page><SignInPage /></Page>} />
        <Route path="/sign-up" element={<Page><SignUpPage /></Page>} />
        <Route element={<RequireAuth />}>
          <Route index element={<HomeRedirect />} />
          <Route path="teams/:teamId" element={<TeamLayout />}>
            <Route index element={<Navigate to="settings/integrations" replace />} />
            <Route path="leads" element={<Page><LeadsPage /></Page>} />
            <Route path="leads/:leadId" element={<Page><LeadDetailPage /></Page>} />
            <Route path="meetings" element={<Page><MeetingsPage /></Page>} />
            <Route path="meetings/:meetingId" element={<Page><MeetingPage /></Page>} />
            <Route path="tasks" element={<Page><TasksPage /></Page>} />
            <Route path="settings" element={<Navigate to="integrations" replace />} />
            <Route path="settings/integrations" element={<Page><IntegrationsPage /></Page>} />
            <Route path="members" element={<Page><MembersPage /></Page>} />
            <Route path="automations" element={<Page><AutomationsPage /></Page>} />
            <Route path="automations/new" element={<Page><AutomationEditorPage /></Page>} />
            <Route path="automations/runs" element={<Page><AutomationRunsPage /></Page>} />
            <Route path="automations/runs/:runId" element={<Page><AutomationRunPage /></Page>} />
            <Route path="automations/:ruleId" element={<Page><AutomationEditorPage /></Page>} />
            <Route path="automations/:ruleId/versions/:version" element={<Page><AutomationVersionPage /></Page>} />
            <Route path="*" element={<TeamPageNotFound />} />
          </Route>
        </Route>
        <Route path="*" element={<Page><NotFoundPage standalone back="/" backLabel="Go to the CRM" /></Page>} />
      </Routes>
    </PageErrorBoundary>
  );
}
