// The local stand-in for the production pg_cron jobs (docs/deploy.md): POST a scheduled function with its bearer
// secret every interval. fathom-sync (every minute: an import whose driver died resumes by itself here too) and
// automation-runner (every second: dispatch automation events, execute due runs). One call at a time per function:
// a call may work for a while before it answers, and ticks meanwhile are skipped.

/**
 * @param {{ name: string, tag: string, url: string, secret: string, intervalMs: number,
 *           log?: (line: string) => void, summarize?: (body: any) => string | null }} o
 *   name: the function, in failure lines; tag: the log prefix; summarize: a line worth logging for an answer, or null
 * @returns {{ stop(): Promise<void>, tick(): Promise<void> }}
 */
export function startFunctionScheduler({ name, tag, url, secret, intervalMs, log = () => {}, summarize = () => null }) {
  let inFlight = null;
  let lastProblem = null;
  const stopping = new AbortController();
  const report = (problem) => {
    // one line per change of state, not one per tick
    if (problem !== lastProblem && problem) log(`[${tag}] ${name}: ${problem}`);
    lastProblem = problem;
  };
  const call = async () => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}` },
        signal: stopping.signal,
      });
      const body = await response.json().catch(() => null);
      if (!response.ok) return report(`HTTP ${response.status} ${body?.error?.code ?? ''}`.trim());
      report(null);
      const line = summarize(body);
      if (line) log(`[${tag}] ${line}`);
    } catch (error) {
      if (!stopping.signal.aborted) report(error.message);
    }
  };
  const tick = () => {
    inFlight ??= call().finally(() => { inFlight = null; });
    return inFlight;
  };
  const timer = intervalMs > 0 ? setInterval(tick, intervalMs) : null;
  timer?.unref();
  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      stopping.abort(); // the work keeps its checkpoints (imports, leases); the next start resumes it
      await inFlight;
    },
  };
}

// fathom-sync every interval (production: pg_cron every minute)
/**
 * @param {{ url: string, secret: string, intervalMs: number, log?: (line: string) => void }} o
 * @returns {{ stop(): Promise<void>, tick(): Promise<void> }}
 */
export function startSyncScheduler({ url, secret, intervalMs, log = () => {} }) {
  return startFunctionScheduler({
    name: 'fathom-sync', tag: 'sync', url, secret, intervalMs, log,
    summarize: (body) => (body?.driven > 0 ? `resumed ${body.driven} import(s): ${body.states.join(', ')}` : null),
  });
}

// automation-runner every interval (production: pg_cron every few seconds + the pg_net doorbell)
/**
 * @param {{ url: string, secret: string, intervalMs: number, log?: (line: string) => void }} o
 * @returns {{ stop(): Promise<void>, tick(): Promise<void> }}
 */
export function startAutomationScheduler({ url, secret, intervalMs, log = () => {} }) {
  return startFunctionScheduler({
    name: 'automation-runner', tag: 'automations', url, secret, intervalMs, log,
    summarize: (body) => (body?.ran > 0 || body?.dispatched > 0
      ? `dispatched ${body.dispatched} event(s), ran ${body.ran} run(s): ${body.succeeded} succeeded, ` +
        `${body.retrying} retrying, ${body.dead} dead`
      : null),
  });
}
