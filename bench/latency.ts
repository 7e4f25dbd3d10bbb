// firstRequestMs: how long an idle sliding-window limiter takes to admit a request (pacer
// alone, and run() → request sent on an idle client with a warm token). writeLatencyDuringScanS:
// while a scan uses the whole budget of a throttled (time-scaled) tenant, how soon an
// interactive alert.closeBenign is sent; reported scaled and as the real-window equivalent.
// Targets of both: docs/performance.md.
import { SlidingWindowPacer } from '../core';
import { realSleep, systemClock } from '../runtime';
import { BUDGET, coreClient, figure, main, median, QUICK, scaleNote, sleep, throttledTenant, WINDOW_MS, withEmulator } from './lib/bench';
import { runPagesFor } from './lib/core-run';

const SCAN_WINDOWS = QUICK ? 2.5 : 3;
const WRITES = QUICK ? 5 : 10;

void main('latency', async () => {
  // 1. Pacer alone: fresh tenant keys, so the limiter is idle each time.
  const pacer = new SlidingWindowPacer(systemClock, realSleep, { budget: BUDGET, windowMs: WINDOW_MS });
  const admit: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    const permit = await pacer.acquire(`idle-${i}.example:443`, 'bulk');
    admit.push(performance.now() - started);
    permit.release();
  }
  return withEmulator([throttledTenant('contoso', { alerts: 30 * 100 * Math.ceil(SCAN_WINDOWS + 1) + 500 })], async (emulator) => {
    const client = coreClient(emulator, 'contoso');
    await client.insight();
    const alertIds = emulator.control.listAlerts('contoso').slice(-WRITES).map((a) => String(a._id));
    // 2. Client under budget: run() → 'request' event (permission check from the cached token +
    // pacer), median of 10 sequential gets (10 < budget, so the limiter admits at once).
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) {
      let sentAt = 0;
      const started = performance.now();
      await client.run('alert.get', { alertId: alertIds[0] }, { onEvent: (e) => (e.type === 'request' && !sentAt ? (sentAt = performance.now()) : undefined) });
      idle.push(sentAt - started);
    }
    const idleClientMs = median(idle);
    await sleep(WINDOW_MS); // let those 10 leave the window before the scan

    // 3. Writes during a full-budget scan, spread over the scan's steady state (after window 1).
    const duration = SCAN_WINDOWS * WINDOW_MS;
    const writeWaits: number[] = [];
    const writeTotals: number[] = [];
    const writes = (async () => {
      const first = WINDOW_MS * 1.1;
      const step = (duration - first - WINDOW_MS * 0.3) / WRITES;
      await sleep(first);
      for (let i = 0; i < WRITES; i++) {
        let sent = 0;
        const t0 = performance.now();
        await client.run('alert.closeBenign', { alertIds: [alertIds[i]] }, { onEvent: (e) => (e.type === 'request' && !sent ? (sent = performance.now()) : undefined) });
        writeWaits.push(sent - t0);
        writeTotals.push(performance.now() - t0);
        await sleep(step * (0.5 + ((i * 7) % 10) / 10));
      }
    })();
    const scan = await runPagesFor(client, 'alert.getAll', {}, duration, { keepEvents: false });
    await writes;
    const throttled = emulator.control.requestLog('contoso').filter((r) => r.status === 429).length;
    const realFactor = 60_000 / WINDOW_MS;
    const maxWait = Math.max(...writeWaits) / 1000;
    return {
      figures: [
        figure('firstRequestMs', 'idle limiter: time to admit a request (median of 200)', median(admit), 'ms', { op: '<=', value: 5 }, `max ${Math.max(...admit).toFixed(3)} ms`),
        figure('firstRequestMs.client', 'client under budget: run() → request sent (median of 10, warm token)', idleClientMs, 'ms', { op: '<=', value: 5 }),
        figure('writeLatencyDuringScanS', 'write during full-budget scan: worst wait before send, real-window equivalent', maxWait * realFactor, 's', { op: '<=', value: 4 }, `scaled: max ${maxWait.toFixed(3)} s, median ${(median(writeWaits) / 1000).toFixed(3)} s over ${WRITES} writes; ${scaleNote()}`),
        figure('writeLatencyDuringScanS.scan', 'scan pages during the writes / 429s', `${scan.pages.length} / ${throttled}`, '', undefined, `budget ${BUDGET} per window`),
      ],
      details: { admitMedianMs: median(admit), idleClientMs, writeWaitsMs: writeWaits, writeTotalsMs: writeTotals, scanPages: scan.pages.length, scanError: scan.error, throttled },
    };
  });
});
