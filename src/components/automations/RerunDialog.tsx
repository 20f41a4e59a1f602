import { Loader2 } from "lucide-react";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { RememberOpener, useReturnFocus } from "@/hooks/useReturnFocus";
import { rerunEffect } from "@/lib/automationOutputs";
import { actionLabel } from "@/lib/automationText";
import type { Action, Catalog } from "@/lib/automationTypes";

/**
 * "Re-run?" before a re-run (engine manual.ts rerun): a NEW run of the same event on the rule's CURRENT version,
 * not the version this run used; its conditions are not a gate; every step acts again, and messages and webhooks
 * are sent again (rerunEffect says what each step does). `current` is null while the rule loads (the dialog says
 * "the current version" without its number) or when it cannot be read.
 */
export function RerunDialog({
  open,
  onOpenChange,
  onConfirm,
  pending,
  runVersion,
  current,
  catalog,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
  pending: boolean;
  runVersion: number | null;
  current: { version: number; actions: Action[] } | null;
  catalog: Catalog | undefined;
}) {
  const returnFocus = useReturnFocus();
  const same = current !== null && runVersion !== null && current.version === runVersion;
  const effects = current?.actions.map((a) => ({ label: actionLabel(a.type, catalog), ...rerunEffect(a) })) ?? [];
  const sendsAgain = effects.some((e) => e.again);
  return (
    <AlertDialog open={open} onOpenChange={onOpenChange}>
      <AlertDialogContent onCloseAutoFocus={returnFocus.onCloseAutoFocus}>
        <RememberOpener openerRef={returnFocus.openerRef} />
        <AlertDialogHeader>
          <AlertDialogTitle>Run this event again?</AlertDialogTitle>
          <AlertDialogDescription>
            A new run starts on the automation's current version
            {current ? ` (version ${current.version})` : ""}
            {runVersion !== null && !same ? `, not on version ${runVersion} that this run used` : ""}. Every step acts again,
            even if the conditions no longer match.
            {sendsAgain && " Messages and webhooks are sent again."}
          </AlertDialogDescription>
        </AlertDialogHeader>
        {effects.length > 0 && (
          <ol className="ml-5 list-decimal text-sm" aria-label="What each step does again">
            {effects.map((e, i) => (
              <li key={i} className={e.again ? "text-foreground" : "text-muted-foreground"}>
                <span className="font-medium">{e.label}</span>: {e.text}
              </li>
            ))}
          </ol>
        )}
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            onClick={(e) => {
              e.preventDefault();
              onConfirm();
            }}
          >
            {pending && <Loader2 className="animate-spin" aria-hidden="true" />}
            Re-run on {current ? `version ${current.version}` : "the current version"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
