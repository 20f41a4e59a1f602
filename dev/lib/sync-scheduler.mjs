// The local stand-in for the production pg_cron job (docs/deploy.md): POST fathom-sync with its bearer secret
// every interval, so an import whose driver died (gateway restarted mid-import, a long rate-limit pause) resumes by
// itself here too. One call at a time: fathom-sync may drive imports for a while before it answers.

/**
 * @param {{ url: string, secret: string, intervalMs: number, log?: (line: string) => void }} o
 * @returns {{ stop(): Promise<void>, tick(): Promise<void> }}
 */
export function startSyncScheduler({ url, secret, intervalMs, log = () => {} }) {
  let inFlight = null;
  let lastProblem = null;
  const stopping = new AbortController();
  const report = (problem) => {
    // one line per change of state, not one per minute
    if (problem !== lastProblem && problem) log(`[sync] fathom-sync: ${problem}`);
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
      if (body?.driven > 0) log(`[sync] resumed ${body.driven} import(s): ${body.states.join(', ')}`);
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
      stopping.abort(); // the imports it drives keep their checkpoints; the next start resumes them
      await inFlight;
    },
  };
}
