import { useRef } from "react";
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
import { type IntentProps, useIntentOpen, useTakeFocus } from "@/components/ui/load-on-intent";
import { UserMenuButton, type UserMenuProps } from "@/components/UserMenuButton";
import { signOut } from "@/hooks/useSession";

/** The account menu itself (Radix DropdownMenu), loaded by UserMenu when someone reaches for it. */
export default function UserMenuContent({ fullName: name, email, initialOpen, focusTrigger }: UserMenuProps & IntentProps) {
  const navigate = useNavigate();
  const trigger = useRef<HTMLButtonElement>(null);
  useTakeFocus(trigger, { focusTrigger, initialOpen });
  const [open, setOpen] = useIntentOpen({ initialOpen, focusTrigger });
  return (
    <DropdownMenu open={open} onOpenChange={setOpen}>
      <DropdownMenuTrigger asChild>
        <UserMenuButton ref={trigger} fullName={name} email={email} />
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
