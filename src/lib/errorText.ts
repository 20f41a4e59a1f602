import { ApiError, SOMETHING_WENT_WRONG } from "./apiError";

/**
 * errorMessages.ts (the sentence for every error code, ~2 kB of JavaScript gzip) loaded on the app's first failure
 * instead of with every page: most visits fail nothing, and the Integrations page's JavaScript has a budget (issue 10,
 * docs/performance.md "bench/frontend"). api.ts toApiError awaits it before it makes an ApiError of a server's
 * answer, so by the time such an error is on screen the sentences are here and ErrorAlert words it at once.
 */
type ErrorMessages = typeof import("./errorMessages");

let loaded: ErrorMessages | undefined;
let loading: Promise<ErrorMessages> | undefined;

/** Fetches errorMessages.ts once; a failed fetch (offline, a replaced chunk) is tried again on the next call. */
export function loadErrorMessages(): Promise<ErrorMessages> {
  return (loading ??= import("./errorMessages").then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  ));
}

/** errorMessages.ts when it has arrived, else undefined (then `provisionalMessage` words the error). */
export function loadedErrorMessages(): ErrorMessages | undefined {
  return loaded;
}

/**
 * The sentence to show while errorMessages.ts is not here (a failure that did not come through toApiError, or the
 * module could not be fetched): an ApiError's own message, which is for people, else the generic sentence.
 */
export function provisionalMessage(err: unknown): string {
  return err instanceof ApiError && err.message.trim() ? err.message : SOMETHING_WENT_WRONG;
}
