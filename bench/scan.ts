// Scan mode: activities per minute with nextQueryFilters paging (activity.getAll, scanMode) at
// limits 500 and 5,000 on throttled, time-scaled tenants (both at once, emulator in a child
// process). The ceiling is 30 × limit per window; the budget 28 × limit. At 5,000 per page the
// page time (≈ 11 MB of JSON) can exceed window/28 once the window is scaled down, so the real-
// window figure is projected as min(28, 60 s / median page time) × limit per minute.
import { BUDGET, coreClient, figure, main, median, QUICK, scaleNote, throttledTenant, WINDOW_MS } from './lib/bench';
import { itemsBefore, runPagesFor } from './lib/core-run';
import { startEmulatorProcess } from './lib/emulator-child';

const WINDOWS = Number(process.env.BENCH_WINDOWS) || (QUICK ? 2 : 3);
const LIMITS = [500, 5_000];

void main('scan', async () => {
  const duration = WINDOWS * WINDOW_MS;
  const child = await startEmulatorProcess(LIMITS.map((l) => throttledTenant(`scan${l}`, { activities: 30 * l * (WINDOWS + 1) })));
  try {
    const runs = await Promise.all(
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
    return {
      figures: runs.flatMap(({ limit, stats, service, throttled }) => {
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
      details: { windows: WINDOWS, runs: runs.map((r) => ({ limit: r.limit, pages: r.stats.pages.length, items: r.stats.items, throttled: r.throttled, medianPageMs: median(r.service) })) },
    };
  } finally {
    await child.close();
  }
});
