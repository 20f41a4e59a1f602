import { AlertCircle, RefreshCw } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useEffect, useState } from "react";
import { isRetryable } from "@/lib/apiError";
import { loadedErrorMessages, loadErrorMessages, provisionalMessage } from "@/lib/errorText";

/**
 * A failed read: what failed, one sentence for people, and a Retry when trying again can help. Given `error`, the
 * sentence comes from errorMessages.ts and Retry is offered only for failures a retry can fix (network, 429, 5xx);
 * `message` overrides the sentence. errorMessages.ts loads with the first failure (errorText.ts): a server's error
 * arrives worded by then; another (a reply the app cannot read) shows its own message until the table is here.
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
  const words = useErrorMessages(message === undefined);
  const text = message ?? (words ? words.errorMessage(error) : provisionalMessage(error));
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

/** errorMessages.ts once it is here (at once when a failure loaded it already); `wanted` false: never fetched. */
function useErrorMessages(wanted: boolean) {
  const [words, setWords] = useState(loadedErrorMessages);
  useEffect(() => {
    if (wanted && !words) loadErrorMessages().then(setWords, () => {}); // offline: the provisional sentence stays
  }, [wanted, words]);
  return words;
}
