import { useRef, useState, type FormEvent } from "react";
import { Check, Copy, Loader2, Plus, Trash2 } from "lucide-react";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
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
import { ErrorAlert } from "@/components/ErrorAlert";
import { useAutomationEndpoints, useEndpointMutations } from "@/hooks/useAutomations";
import { errorMessage } from "@/lib/errorMessages";
import type { Endpoint } from "@/lib/automationTypes";

/**
 * What deleting `endpoint` does, in words: the rules that send to it by name, and what becomes of them (an enabled
 * one blocks the delete; an off one stays off, its "Send a webhook" step unable to run until it gets another).
 */
export function deleteConsequence(endpoint: Endpoint): { blocked: boolean; text: string } {
  const on = endpoint.used_by.filter((r) => r.enabled).map((r) => r.name);
  const off = endpoint.used_by.filter((r) => !r.enabled).map((r) => r.name);
  const names = (list: string[]) => list.map((n) => `"${n}"`).join(", ");
  if (on.length > 0) {
    return {
      blocked: true,
      text: `${on.length === 1 ? "1 automation that is on sends" : `${on.length} automations that are on send`} here: ${names(on)}. Turn ${on.length === 1 ? "it" : "them"} off or pick another endpoint in ${on.length === 1 ? "it" : "them"} first.`,
    };
  }
  if (off.length > 0) {
    return {
      blocked: false,
      text: `${off.length === 1 ? "1 automation that is off sends" : `${off.length} automations that are off send`} here: ${names(off)}. ${off.length === 1 ? "It keeps" : "They keep"} a "Send a webhook" step with no endpoint and cannot be turned on until you pick another one.`,
    };
  }
  return { blocked: false, text: "No automation sends here. Deliveries already made are not affected." };
}

/**
 * Webhook endpoints for the "Send a webhook" action: members see name, host and a path hint (the URL itself is kept
 * secret) and which automations send to each; admins add one (its signing secret is shown once, with a copy button)
 * and delete one after a confirmation naming the automations that use it.
 */
export function EndpointsSection({ teamId, admin }: { teamId: string; admin: boolean }) {
  const endpoints = useAutomationEndpoints(teamId);
  const m = useEndpointMutations(teamId);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // every secret made in this visit stays until its own Done: a second endpoint must not hide the first one's
  const [created, setCreated] = useState<{ endpoint: Endpoint; secret: string }[]>([]);
  const dismiss = (id: string) => setCreated((list) => list.filter((c) => c.endpoint.id !== id));
  const [confirming, setConfirming] = useState<Endpoint | null>(null);
  const returnFocus = useReturnFocus();
  const consequence = confirming ? deleteConsequence(confirming) : null;

  const removing = useRef(false);

  const remove = (endpoint: Endpoint) => {
    removing.current = true;
    setConfirming(null);
    m.remove.mutate(endpoint.id, {
      onSuccess: () => {
        toast.success(`Endpoint ${endpoint.name} deleted`);
        dismiss(endpoint.id);
        headingRef.current?.focus();
      },
      onError: (e) => toast.error(errorMessage(e)),
    });
  };

  return (
    <section aria-labelledby="endpoints-heading" className="mt-10">
      <h2 id="endpoints-heading" ref={headingRef} tabIndex={-1} className="text-base font-semibold outline-none">
        Webhook endpoints
      </h2>
      <p className="mt-1 text-sm text-muted-foreground">
        Where "Send a webhook" actions deliver, signed the Standard Webhooks way with each endpoint's own secret.
      </p>
      <div className="mt-3">
        {endpoints.isPending ? (
          <Skeleton className="h-12 w-full" />
        ) : endpoints.isError ? (
          <ErrorAlert title="Couldn't load the endpoints" error={endpoints.error} onRetry={() => endpoints.refetch()} />
        ) : endpoints.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No endpoints yet.</p>
        ) : (
          <ul className="divide-y divide-border rounded-lg border border-border" aria-label="Webhook endpoints">
            {endpoints.data.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center gap-3 px-4 py-3">
                <div className="min-w-0 flex-1">
                  <div className="truncate text-sm font-medium">{e.name}</div>
                  <div className="truncate font-mono text-xs text-muted-foreground" title={e.path_hint}>
                    {e.path_hint}
                  </div>
                  {e.used_by.length > 0 && (
                    <div className="truncate text-xs text-muted-foreground">
                      Used by {e.used_by.map((r) => (r.enabled ? r.name : `${r.name} (off)`)).join(", ")}
                    </div>
                  )}
                </div>
                {admin && (
                  <Button
                    variant="outline"
                    size="sm"
                    aria-label={`Delete endpoint ${e.name}`}
                    disabled={m.remove.isPending}
                    onClick={() => setConfirming(e)}
                  >
                    <Trash2 aria-hidden="true" />
                    Delete
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      {created.map((c) => (
        <SecretOnce key={c.endpoint.id} created={c} onDone={() => dismiss(c.endpoint.id)} />
      ))}
      {admin && <AddEndpointForm onCreated={(c) => setCreated((list) => [...list, c])} create={m.create} />}
      <AlertDialog open={confirming !== null} onOpenChange={(open) => !open && setConfirming(null)}>
        <AlertDialogContent
          onCloseAutoFocus={(event) => {
            // closed by Delete: the button that opened it is going away, so focus goes to the section's heading
            if (removing.current) {
              removing.current = false;
              event.preventDefault();
              headingRef.current?.focus();
            } else returnFocus.onCloseAutoFocus(event);
          }}
        >
          <RememberOpener openerRef={returnFocus.openerRef} />
          <AlertDialogHeader>
            <AlertDialogTitle>
              {consequence?.blocked ? `${confirming?.name} is in use` : `Delete endpoint ${confirming?.name}?`}
            </AlertDialogTitle>
            <AlertDialogDescription>{consequence?.text}</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>{consequence?.blocked ? "Close" : "Cancel"}</AlertDialogCancel>
            {!consequence?.blocked && (
              <AlertDialogAction
                className="bg-destructive text-white hover:bg-destructive/90"
                onClick={() => confirming && remove(confirming)}
              >
                Delete
              </AlertDialogAction>
            )}
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </section>
  );
}

function SecretOnce({ created, onDone }: { created: { endpoint: Endpoint; secret: string }; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied(true);
    } catch {
      toast.error("Couldn't copy. Select the secret and copy it yourself.");
    }
  };
  return (
    <Alert variant="warning" className="mt-3">
      <AlertTitle>Signing secret of {created.endpoint.name}</AlertTitle>
      <AlertDescription className="flex flex-col gap-2">
        <p>Copy it now: it is shown only once. The receiver verifies each delivery's signature with it.</p>
        <div className="flex flex-wrap items-center gap-2">
          <code className="break-all rounded bg-background px-2 py-1 font-mono text-xs" data-testid="endpoint-secret">
            {created.secret}
          </code>
          <Button size="sm" variant="outline" onClick={copy}>
            {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
            {copied ? "Copied" : "Copy secret"}
          </Button>
          <Button size="sm" variant="ghost" onClick={onDone}>
            Done
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  );
}

function AddEndpointForm({
  create,
  onCreated,
}: {
  create: ReturnType<typeof useEndpointMutations>["create"];
  onCreated: (created: { endpoint: Endpoint; secret: string }) => void;
}) {
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [error, setError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || !url.trim()) {
      setError("Give the endpoint a name and an https:// URL.");
      (name.trim() ? document.getElementById("endpoint-url") : nameRef.current)?.focus();
      return;
    }
    setError(null);
    create.mutate(
      { name: name.trim(), url: url.trim() },
      {
        onSuccess: (created) => {
          setName("");
          setUrl("");
          onCreated(created);
          toast.success(`Endpoint ${created.endpoint.name} added`);
        },
        onError: (e) => {
          setError(errorMessage(e));
          document.getElementById("endpoint-url")?.focus();
        },
      },
    );
  };

  return (
    <form className="mt-4 flex flex-wrap items-end gap-3" onSubmit={submit} noValidate aria-label="Add a webhook endpoint">
      <div className="min-w-0 flex-1 basis-40">
        <Label htmlFor="endpoint-name">Name</Label>
        <Input id="endpoint-name" ref={nameRef} className="mt-1" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="min-w-0 flex-[2] basis-56">
        <Label htmlFor="endpoint-url">URL</Label>
        <Input
          id="endpoint-url"
          type="url"
          className="mt-1"
          maxLength={2000}
          placeholder="https://example.com/hooks/crm"
          value={url}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "endpoint-error" : undefined}
          onChange={(e) => setUrl(e.target.value)}
        />
      </div>
      <Button type="submit" variant="outline" disabled={create.isPending}>
        {create.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Plus aria-hidden="true" />}
        Add endpoint
      </Button>
      {error && (
        <p id="endpoint-error" role="alert" className="w-full text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
