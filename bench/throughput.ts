// throughputRatio (targets in docs/performance.md): items delivered in k whole windows by the core
// iterator (alert.getAll, 100 per page) against a 30-per-rolling-window tenant, divided by the
// ceiling 30 × 100 × k (a sliding window admits at most 30 × k requests in k consecutive windows,
// so this ceiling is exact, with no start-up burst bonus). Side by side, on separate tenants of one
// emulator: a naive loop that stops on the first 429, and an MCAS-PowerShell-style loop (fixed 5 s
// retry, unbounded).
import { bareAxios, bearerToken, BUDGET, coreClient, figure, LIMIT, main, QUICK, scaleNote, throttledTenant, WINDOW_MS } from './lib/bench';
import { startEmulatorProcess } from './lib/emulator-child';
import { itemsBefore, runPagesFor } from './lib/core-run';
import { mcasLoop, naiveLoop } from './lib/loops';

const WINDOWS = Number(process.env.BENCH_WINDOWS) || (QUICK ? 3 : 9);

void main('throughput', async () => {
  const duration = WINDOWS * WINDOW_MS;
  const alerts = LIMIT * 100 * (WINDOWS + 1);
  // The emulator runs in a child process so its work does not queue behind the three loops.
  const child = await startEmulatorProcess([throttledTenant('core', { alerts }), throttledTenant('naive', { alerts }), throttledTenant('mcas', { alerts })]);
  const emulator = child.emulator;
  try {
    {
      const client = coreClient(emulator, 'core');
      await client.insight(); // warm the token cache (token requests are not throttled data requests)
      const http = bareAxios(emulator.caPem);
      const url = (tenant: string) => `${emulator.tenants[tenant].apiUrl}/api/v1/alerts/`;
      const [naiveAuth, mcasAuth] = await Promise.all([bearerToken(emulator, 'naive'), bearerToken(emulator, 'mcas')]);
      const [core, naive, mcas] = await Promise.all([
        runPagesFor(client, 'alert.getAll', {}, duration),
        naiveLoop(http, { url: url('naive'), authorization: naiveAuth, deadlineMs: duration }),
        mcasLoop(http, { url: url('mcas'), authorization: mcasAuth, deadlineMs: duration }, WINDOW_MS),
      ]);
      http.close();
      const logs: Record<string, Array<{ path: string; status: number }>> = {};
      for (const t of ['core', 'naive', 'mcas']) logs[t] = (await child.control.requestLog(t)).filter((r) => r.path.includes('/alerts'));
      const log = (t: string) => logs[t];
      const count429 = (t: string) => log(t).filter((r) => r.status === 429).length;
      const ceiling = LIMIT * 100 * WINDOWS;
      const budgetCeiling = BUDGET * 100 * WINDOWS;
      const coreItems = itemsBefore(core.pages, duration);
      const naiveItems = itemsBefore(naive.pages, duration);
      const mcasItems = itemsBefore(mcas.pages, duration);
      const perRealMinute = (items: number) => items / WINDOWS; // one scaled window = one real minute
      const core429 = count429('core');
      return {
        figures: [
          figure('throughputRatio', 'core iterator: items / ceiling (30×100 per window)', coreItems / ceiling, '', { op: '>=', value: 0.93 }, `${coreItems} items in ${WINDOWS} windows; ${scaleNote()}`),
          figure('throughputRatio.core429', 'core iterator: 429 responses', core429, '', { op: '==', value: 0 }),
          figure('throughputRatio.vsBudget', 'core iterator: items / budget (28×100 per window)', coreItems / budgetCeiling, '', { op: '>=', value: 0.89 }, 'T6.1: ≥ 89 % of 2,800'),
          figure('throughputRatio.itemsPerMin', 'core iterator: items per real-minute equivalent', perRealMinute(coreItems), 'items/min', { op: '>=', value: 2500 }, 'T6.1'),
          figure('throughputRatio.naive', 'naive loop (stops on 429): items / ceiling', naiveItems / ceiling, '', undefined, `${naiveItems} items, ${count429('naive')} × 429, ${naive.requests} requests; ${naive.stoppedBy}`),
          figure('throughputRatio.mcas', 'MCAS-module loop (5 s retry): items / ceiling', mcasItems / ceiling, '', undefined, `${mcasItems} items, ${count429('mcas')} × 429, ${mcas.requests} requests (${log('mcas').length} seen by server)`),
        ],
        details: {
          windows: WINDOWS,
          alertsSeeded: alerts,
          core: { items: coreItems, requests: log('core').length, throttled: core429, error: core.error, pages: core.pages.length },
          naive: { ...naive, pages: naive.pages.length },
          mcas: { ...mcas, pages: mcas.pages.length },
        },
      };
    }
  } finally {
    await child.close();
  }
});
