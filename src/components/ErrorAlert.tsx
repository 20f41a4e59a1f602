import { AlertCircle, RefreshCw } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { errorMessage, isRetryable } from "@/lib/errorMessages";

/**
 * A failed read: what failed, one sentence for people, and a Retry when trying again can help. Given `error`, the
 * sentence comes from errorMessages.ts and Retry is offered only for failures a retry can fix (network, 429, 5xx);
 * `message` overrides the sentence.
 */
export function ErrorAlert({
  title,
  error,
  message,
  onRetry,
}: {
  title: string;
  error?: unknown;
  message?: string;
  onRetry?: () => void;
}) {
  const text = message ?? errorMessage(error);
  const retry = onRetry && (error === undefined || isRetryable(error)) ? onRetry : undefined;
  return (
    <Alert variant="destructive">
      <AlertCircle />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription className="flex flex-col items-start gap-2">
        <p>{text}</p>
        {retry && (
          <Button size="sm" variant="outline" onClick={retry}>
            <RefreshCw aria-hidden="true" />
            Retry
          </Button>
        )}
      </AlertDescription>
    </Alert>
  );
}
