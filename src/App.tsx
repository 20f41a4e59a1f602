import { Navigate, Route, Routes, useLocation } from "react-router-dom";
import { PageErrorBoundary } from "@/components/PageErrorBoundary";
import { SignInPage } from "@/pages/SignInPage";
import { RequireAuth } from "@/pages/RequireAuth";
import { HomeRedirect, TeamLayout, TeamPageNotFound } from "@/pages/TeamLayout";
import { IntegrationsPage } from "@/pages/IntegrationsPage";
import { LeadsPage } from "@/pages/LeadsPage";
import { LeadDetailPage } from "@/pages/LeadDetailPage";
import { MeetingsPage } from "@/pages/MeetingsPage";
import { MeetingPage } from "@/pages/MeetingPage";
import { NotFoundPage } from "@/pages/NotFoundPage";

export function App() {
  const location = useLocation();
  // Team pages have their own boundary inside the shell (TeamLayout); this one catches the rest (sign-in, redirects).
  return (
    <PageErrorBoundary resetKey={location.pathname}>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route element={<RequireAuth />}>
          <Route index element={<HomeRedirect />} />
          <Route path="teams/:teamId" element={<TeamLayout />}>
            <Route index element={<Navigate to="settings/integrations" replace />} />
            <Route path="leads" element={<LeadsPage />} />
            <Route path="leads/:leadId" element={<LeadDetailPage />} />
            <Route path="meetings" element={<MeetingsPage />} />
            <Route path="meetings/:meetingId" element={<MeetingPage />} />
            <Route path="settings" element={<Navigate to="integrations" replace />} />
            <Route path="settings/integrations" element={<IntegrationsPage />} />
            <Route path="*" element={<TeamPageNotFound />} />
          </Route>
        </Route>
        <Route path="*" element={<NotFoundPage standalone back="/" backLabel="Go to the CRM" />} />
      </Routes>
    </PageErrorBoundary>
  );
}
