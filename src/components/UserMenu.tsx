import { LoadOnIntent, lazyWithPreload } from "@/components/ui/load-on-intent";
import { UserMenuButton } from "@/components/UserMenuButton";
import { useSession } from "@/hooks/useSession";

/** The name Supabase Auth keeps for the user (`user_metadata.full_name`, or `name` from OAuth sign-ups), if any. */
function userName(metadata: Record<string, unknown> | undefined): string | null {
  const value = metadata?.full_name ?? metadata?.name;
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

const menu = lazyWithPreload(() => import("@/components/UserMenuContent"));

/** The account menu (who is signed in, sign out); its Radix machinery loads when someone reaches for it. */
export function UserMenu() {
  const { session } = useSession();
  const props = { email: session?.user.email ?? "", fullName: userName(session?.user.user_metadata) };
  return <LoadOnIntent loader={menu} trigger={<UserMenuButton {...props} />} props={props} />;
}
