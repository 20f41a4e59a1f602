import { Navigate, Outlet, useLocation } from "react-router-dom";
import { FullPageSpinner } from "@/components/FullPageState";
import { useSession } from "@/hooks/useSession";

export function RequireAuth() {
  const { session, loading } = useSession();
  const location = useLocation();
  if (loading) return <FullPageSpinner />;
  if (!session) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return <Outlet />;
}
