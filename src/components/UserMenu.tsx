import { LogOut } from "lucide-react";
import { useNavigate } from "react-router-dom";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { signOut, useSession } from "@/hooks/useSession";
import { initials } from "@/lib/initials";

/** The name Supabase Auth keeps for the user (`user_metadata.full_name`, or `name` from OAuth sign-ups), if any. */
function userName(metadata: Record<string, unknown> | undefined): string | null {
  const value = metadata?.full_name ?? metadata?.name;
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

export function UserMenu() {
  const { session } = useSession();
  const navigate = useNavigate();
  const email = session?.user.email ?? "";
  const name = userName(session?.user.user_metadata);
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <button
          type="button"
          aria-label="User menu"
          className="flex size-8 items-center justify-center rounded-full bg-muted text-xs font-semibold outline-none ring-offset-2 hover:bg-muted/70 focus-visible:ring-2 focus-visible:ring-ring"
        >
          <span aria-hidden="true">{initials(name, email)}</span>
        </button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="font-normal">
          <div className="text-xs text-muted-foreground">Signed in as</div>
          {name && <div className="truncate text-sm font-medium text-foreground">{name}</div>}
          <div className={name ? "truncate text-xs text-muted-foreground" : "truncate text-sm font-medium text-foreground"}>
            {email}
          </div>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem
          onSelect={async () => {
            await signOut();
            navigate("/sign-in", { replace: true });
          }}
        >
          <LogOut aria-hidden="true" />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
