// overheadRatio: the core client's time per page (alert.getAll through pacing, token cache, retry
// pipeline, transport, parsing, paging guards) against a bare axios POST + JSON.parse of the same
// page, on an unthrottled tenant (emulator in a child process). Both keep warm keep-alive
// connections with the same agent settings; rounds alternate; medians of pages 2..P.
import { bareAxios, bearerToken, coreClient, figure, main, median, percentile, QUICK } from './lib/bench';
import { startEmulatorProcess } from './lib/emulator-child';
import type { RunningEmulator } from '../emulator';

const PAGES = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS) || (QUICK ? 4 : 30);

void main('overhead', async () => {
  const child = await startEmulatorProcess([{ name: 'contoso', counts: { alerts: PAGES * 100 }, throttle: false }]);
  try {
    const emulator: RunningEmulator = child.emulator;
    const client = coreClient(emulator, 'contoso', { pacing: { budget: 10_000 } });
    const http = bareAxios(emulator.caPem);
    const url = `${emulator.tenants.contoso.apiUrl}/api/v1/alerts/`;
    // Same token for both (bearerToken uses its own provider; both are cached for the whole run).
    const authorization = await bearerToken(emulator, 'contoso');
    const corePages: number[] = [];
    const barePages: number[] = [];
    const coreRound = async (record: boolean) => {
      let last = performance.now();
      let index = 0;
      for await (const page of client.pages('alert.getAll', {}, { maxItems: PAGES * 100 })) {
        const now = performance.now();
        if (record && index > 0) corePages.push(now - last);
        if (page.items.length === 0) break;
        last = now;
        index++;
      }
    };
    const bareRound = async (record: boolean) => {
      for (let p = 0; p < PAGES; p++) {
        const started = performance.now();
        const r = await http.axios.post(url, JSON.stringify({ filters: {}, limit: 100, skip: p * 100 }), {
          headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
        });
        const data = (JSON.parse(r.data as string) as { data: unknown[] }).data;
        if (record && p > 0) barePages.push(performance.now() - started);
        if (data.length === 0) break;
      }
    };
    await coreRound(false);
    await bareRound(false);
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        await coreRound(true);
        await bareRound(true);
      } else {
        await bareRound(true);
        await coreRound(true);
      }
    }
    http.close();
    const core = median(corePages);
    const bare = median(barePages);
    return {
      figures: [
        figure('overheadRatio', 'core time per page / bare axios time per page (medians)', core / bare, '', { op: '<=', value: 1.1 }, `core ${core.toFixed(2)} ms vs bare ${bare.toFixed(2)} ms per 100-alert page; ${corePages.length} + ${barePages.length} pages`),
        figure('overheadRatio.p90', 'same, 90th percentiles', percentile(corePages, 90) / percentile(barePages, 90), '', undefined, `core ${percentile(corePages, 90).toFixed(2)} ms vs bare ${percentile(barePages, 90).toFixed(2)} ms`),
      ],
      details: { rounds: ROUNDS, pagesPerRound: PAGES, coreMedianMs: core, bareMedianMs: bare },
    };
  } finally {
    await child.close();
  }
});
