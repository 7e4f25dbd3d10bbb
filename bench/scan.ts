// Scan mode: activities per minute with nextQueryFilters paging (activity.getAll, scanMode) at
// limits 500 and 5,000 on throttled, time-scaled tenants (both at once, emulator in a child
// process). The ceiling is 30 × limit per window; the budget 28 × limit. At 5,000 per page the
// page time (≈ 11 MB of JSON) can exceed window/28 once the window is scaled down, so the real-
// window figure is projected as min(28, 60 s / median page time) × limit per minute.
// Beside them, in the same run: a full scan of Microsoft Graph alerts_v2 (alert.getAll, 100 per
// page) against the emulator's Graph limit as documented, 150 per rolling 60 s, not time-scaled,
// with the Graph descriptor's own pacing (140 per minute); its own emulator process, so its pages
// do not wait behind the 5,000-record MDCA pages. More pages than 150 so that without pacing the
// limit would answer 429 (see bench/lib/graph.ts).
import { BUDGET, coreClient, figure, main, median, QUICK, scaleNote, throttledTenant, WINDOW_MS } from './lib/bench';
import { itemsBefore, runPagesFor } from './lib/core-run';
import { startEmulatorProcess } from './lib/emulator-child';
import { GRAPH_LIMIT, GRAPH_WINDOW_MS, graphBenchClient, graphThrottle, maxInWindow } from './lib/graph';
import { GRAPH_PAGE_SIZE } from '../core/graph/list';
import { GRAPH_SERVICE } from '../core';

const WINDOWS = Number(process.env.BENCH_WINDOWS) || (QUICK ? 2 : 3);
const LIMITS = [500, 5_000];
/** Graph pages of the full scan: above the 150 limit; ≈ 70 s (quick) or ≈ 90 s (full) at 140 per minute. */
const GRAPH_PAGES = Number(process.env.BENCH_GRAPH_PAGES) || (QUICK ? 160 : 200);
const OTHER_ALERTS = 12;

async function mdcaScans(duration: number) {
  const child = await startEmulatorProcess(LIMITS.map((l) => throttledTenant(`scan${l}`, { activities: 30 * l * (WINDOWS + 1) })));
  try {
    return await Promise.all(
      LIMITS.map(async (limit) => {
        const client = coreClient(child.emulator, `scan${limit}`, { timeoutMs: 120_000 });
        await client.insight();
        let sentAt = 0;
        const service: number[] = [];
        const stats = await runPagesFor(client, 'activity.getAll', { scanMode: true, scanPageSize: limit }, duration, {
          keepEvents: false,
          onEvent: (e) => {
            if (e.type === 'request') sentAt = performance.now();
            if (e.type === 'page') service.push(performance.now() - sentAt);
          },
        });
        const throttled = (await child.control.requestLog(`scan${limit}`)).filter((r) => r.status === 429).length;
        return { limit, stats, service, throttled };
      }),
    );
  } finally {
    await child.close();
  }
}

async function graphScan() {
  // The Graph listener lists the tenant's MDCA alerts plus alerts of other products: whole pages.
  const counts = { alerts: GRAPH_PAGES * GRAPH_PAGE_SIZE - OTHER_ALERTS, activities: 100 };
  const child = await startEmulatorProcess([{ name: 'graphscan', counts }], { graph: { throttle: graphThrottle(), otherAlerts: OTHER_ALERTS } });
  try {
    const client = graphBenchClient(child.emulator, 'graphscan');
    let waits = 0;
    const stats = await runPagesFor(client, 'alert.getAll', {}, 10 * 60_000, { keepEvents: false, onEvent: (e) => void (e.type === 'throttled' || e.type === 'retry' ? waits++ : 0) });
    const log = (await child.control.graphRequestLog('graphscan')).filter((r) => r.path.includes('/alerts_v2'));
    return { stats, log, waits };
  } finally {
    await child.close();
  }
}

void main('scan', async () => {
  const duration = WINDOWS * WINDOW_MS;
  const [runs, graph] = await Promise.all([mdcaScans(duration), graphScan()]);
  const graph429 = graph.log.filter((r) => r.status === 429).length;
  const graphMinutes = graph.stats.elapsedMs / 60_000;
  return {
    figures: [
      ...runs.flatMap(({ limit, stats, service, throttled }) => {
        const items = itemsBefore(stats.pages, duration);
        const perWindow = items / WINDOWS;
        const pageMs = median(service);
        const projected = Math.min(BUDGET, 60_000 / pageMs) * limit;
        return [
          figure(`scan${limit}.ratio`, `scan at ${limit}: items / ceiling (30×${limit} per window)`, items / (30 * limit * WINDOWS), '', undefined, `${items} items, ${stats.pages.length} pages, ${throttled} × 429 in ${WINDOWS} windows; ${scaleNote()}`),
          figure(`scan${limit}.perMinute`, `scan at ${limit}: activities per real-minute equivalent (measured)`, Math.round(perWindow), 'items/min', undefined, `median page time ${pageMs.toFixed(0)} ms`),
          figure(`scan${limit}.projected`, `scan at ${limit}: projected activities/min on a real 60 s window`, Math.round(projected), 'items/min', undefined, `min(28, 60 s / page time) × ${limit}${stats.error ? `; error: ${stats.error}` : ''}`),
        ];
      }),
      figure('graphScan.429', 'Graph alerts_v2 full scan at the real limit: 429 answers', graph429, '', { op: '==', value: 0 }, `${graph.stats.items} items, ${graph.stats.pages.length} pages, ${graph.log.length} requests in ${(graph.stats.elapsedMs / 1000).toFixed(1)} s; emulator: ${GRAPH_LIMIT} per rolling 60 s, not time-scaled; client: ${GRAPH_SERVICE.budget.perMinute} per minute (the descriptor's budget); ${graph.waits} throttle/retry waits${graph.stats.error ? `; error: ${graph.stats.error}` : ''}`),
      figure('graphScan.maxPerWindow', 'Graph alerts_v2 full scan: most requests in any 60 s at the emulator', maxInWindow(graph.log, GRAPH_WINDOW_MS), '', { op: '<=', value: GRAPH_LIMIT }, `the limit is ${GRAPH_LIMIT}; the pacer admits ${GRAPH_SERVICE.budget.perMinute}`),
      figure('graphScan.requestsPer100Items', 'Graph alerts_v2 full scan: data requests per 100 items', graph.log.length / (graph.stats.items / 100), '', { op: '<=', value: 1.0 }, `$top ${GRAPH_PAGE_SIZE} (the default), @odata.nextLink until the last page (no trailing empty page)`),
      figure('graphScan.perMinute', 'Graph alerts_v2 full scan: alerts per real minute', Math.round(graph.stats.items / graphMinutes), 'items/min', undefined, `${GRAPH_SERVICE.budget.perMinute} requests × ${GRAPH_PAGE_SIZE} per minute at most once the first window is used`),
    ],
    details: {
      windows: WINDOWS,
      runs: runs.map((r) => ({ limit: r.limit, pages: r.stats.pages.length, items: r.stats.items, throttled: r.throttled, medianPageMs: median(r.service) })),
      graph: { pages: graph.stats.pages.length, items: graph.stats.items, requests: graph.log.length, throttled: graph429, elapsedMs: Math.round(graph.stats.elapsedMs), error: graph.stats.error },
    },
  };
});
