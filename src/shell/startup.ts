/**
 * The app's start as a list of steps run one task each (`runInTasks`), for a visit behind the prerendered shell: the
 * page is on screen already, so nothing waits for these steps but the handover, and one task each keeps the main
 * thread free between them (the entry's evaluation, the page chunk's preload tags, the first requests and the first
 * render were one 40-170 ms task at 4x CPU slowdown in traces of a cold Integrations load: docs/performance.md "The
 * prerendered shell"). Each step starts in a new macrotask (a `MessageChannel` message: no timer clamping) in the
 * order given; a step that throws is reported (`reportError`, as an uncaught error would be) and the next still runs.
 * Resolves when the last step has run.
 */
export async function runInTasks(steps: (() => void)[]): Promise<void> {
  for (const step of steps) {
    await nextTask();
    try {
      step();
    } catch (error) {
      reportError(error);
    }
  }
}

/** Resolves in a new macrotask, after the browser had a chance to handle input and paint. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
