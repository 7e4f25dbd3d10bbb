// requestsPer100Items (target in docs/performance.md): data requests the emulator saw per 100 items
// delivered by the core iterator (alert.getAll, 10,000 alerts — 5,000 in quick runs — unthrottled
// tenant), against an n8n-style pagination loop that stops on an empty page; and the retry overhead
// with ~1 % injected 503s (each request the client announces is turned into a 503 with probability
// 1 %, deterministic seed).
import { bareAxios, bearerToken, coreClient, figure, main, openTenant, prng, QUICK, withEmulator } from './lib/bench';
import { naiveLoop } from './lib/loops';
import { recordId } from '../core';

// Quick runs list half as many (the per-100 ratio does not depend on the size) to stay under 3 min.
const ALERTS = QUICK ? 5_000 : 10_000;
/** The fault runs list a smaller tenant many times (the emulator sorts every alert per request). */
const FAULT_ALERTS = 2_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS) || (QUICK ? 8 : 60);
const FAULT_RATE = 0.01;

void main('requests', async () =>
  withEmulator([openTenant('contoso', { alerts: ALERTS }), openTenant('small', { alerts: FAULT_ALERTS })], async (emulator) => {
    const client = coreClient(emulator, 'contoso');
    const dataRequests = (tenant = 'contoso') => emulator.control.requestLog(tenant).filter((r) => r.path.includes('/alerts'));

    // 1. Clean run: requests per 100 items.
    emulator.control.resetRequestLog('contoso');
    const ids = new Set<string>();
    let items = 0;
    for await (const page of client.pages('alert.getAll', {}, { maxItems: ALERTS })) {
      items += page.items.length;
      for (const item of page.items) ids.add(String(recordId(item)));
    }
    const clean = dataRequests().length;
    const per100 = clean / (items / 100);

    // 2. The n8n-style loop (HTTP Request pagination, complete on "Response Is Empty").
    emulator.control.resetRequestLog('contoso');
    const http = bareAxios(emulator.caPem);
    const naive = await naiveLoop(http, { url: `${emulator.tenants.contoso.apiUrl}/api/v1/alerts/`, authorization: await bearerToken(emulator, 'contoso'), deadlineMs: 600_000 });
    http.close();
    const naivePer100 = dataRequests().length / (naive.items / 100);

    // 3. ~1 % injected 503s over several full listings.
    const small = coreClient(emulator, 'small');
    const random = prng(20240601);
    let injected = 0;
    let faultedItems = 0;
    let faultedRequests = 0;
    let retries = 0;
    for (let round = 0; round < ROUNDS; round++) {
      emulator.control.resetRequestLog('small');
      const outcome = small.pages('alert.getAll', {}, {
        maxItems: FAULT_ALERTS,
        onEvent: (e) => {
          if (e.type === 'request' && random() < FAULT_RATE) {
            injected++;
            emulator.control.injectFaults('small', [{ status: 503, body: { detail: 'injected' }, match: { pathIncludes: '/alerts' } }]);
          }
          if (e.type === 'retry') retries++;
        },
      });
      for await (const page of outcome) faultedItems += page.items.length;
      faultedRequests += dataRequests('small').length;
    }
    const baseline = ROUNDS * Math.ceil(FAULT_ALERTS / 100);
    const overhead = (faultedRequests - baseline) / baseline;
    return {
      figures: [
        figure('requestsPer100Items', 'core iterator: data requests per 100 items (no retries)', per100, '', { op: '<=', value: 1.0 }, `${clean} requests for ${items} items (${ids.size} distinct)`),
        figure('requestsPer100Items.naive', 'n8n-style pagination (stop on empty page): requests per 100 items', naivePer100, '', undefined, `${naive.requests} requests for ${naive.items} items (trailing empty page)`),
        figure('retryOverhead1pct5xx', 'core iterator: extra requests with ~1 % injected 503', overhead, '', { op: '<=', value: 0.03 }, `${faultedRequests} requests vs ${baseline} for ${ROUNDS} × ${FAULT_ALERTS} items; ${injected} × 503 injected, ${retries} retries, ${faultedItems} items delivered`),
      ],
      details: { clean, items, distinct: ids.size, naive: { requests: naive.requests, items: naive.items }, rounds: ROUNDS, injected, retries, faultedRequests, faultedItems, baseline },
    };
  }),
);
