// heapGrowthMB100k (target in docs/performance.md): heap growth while streaming 100,000 activities
// through the core iterator (activity.getAll, scan mode, 5,000 per page, unthrottled tenant;
// emulator in a child process). "Live" growth is heapUsed after a forced GC at every page (what the
// iterator and the consumer still hold), minus the baseline after a forced GC; "raw peak" is the
// highest heapUsed sampled every 5 ms without forcing GC (includes garbage not yet collected).
// Compared with a loop that accumulates every item. The Node-RED per-page output mode is not
// measured (see docs). Beside them, the same measure for Microsoft Graph alerts_v2 (alert.getAll)
// streamed at $top 1000 (Graph's largest page) and 100 (the default) from an unthrottled tenant.
import { coreClient, figure, main, QUICK, round } from './lib/bench';
import { startEmulatorProcess } from './lib/emulator-child';
import { graphBenchClient } from './lib/graph';

const N = 100_000;
/** Quick mode streams fewer items (growth is bounded by page size, not N) and scales the accumulate figure linearly. */
const STREAM_N = QUICK ? 20_000 : N;
const SUB = STREAM_N;
/** Graph alerts streamed (the tenant's MDCA alerts as alerts_v2, plus 12 of other products); growth is bounded by the page, not N. */
const GRAPH_N = QUICK ? 5_000 : 20_000;
/** The emulator closes idle keep-alive sockets after 5 s; each phase starts with none pooled. */
const SOCKET_IDLE_MS = 5_500;
const MB = 1024 * 1024;
const gc = (global as unknown as { gc?: () => void }).gc;

async function measure(name: string, body: (sample: () => void) => Promise<number>) {
  if (!gc) throw new Error('run node with --expose-gc');
  await new Promise((resolve) => setTimeout(resolve, SOCKET_IDLE_MS));
  gc();
  gc();
  const base = process.memoryUsage().heapUsed;
  let rawPeak = base;
  let livePeak = base;
  const timer = setInterval(() => {
    rawPeak = Math.max(rawPeak, process.memoryUsage().heapUsed);
  }, 5);
  const started = performance.now();
  const items = await body(() => {
    rawPeak = Math.max(rawPeak, process.memoryUsage().heapUsed);
    gc();
    livePeak = Math.max(livePeak, process.memoryUsage().heapUsed);
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  return { name, items, seconds: round(seconds, 2), liveGrowthMB: round((livePeak - base) / MB, 1), rawPeakGrowthMB: round((rawPeak - base) / MB, 1), retainedAfterMB: round((after - base) / MB, 1) };
}

void main('heap', async () => {
  const child = await startEmulatorProcess([
    { name: 'big', counts: { activities: N }, throttle: false },
    { name: 'graphbig', counts: { alerts: GRAPH_N, activities: 100 }, throttle: false },
  ]);
  try {
    const client = coreClient(child.emulator, 'big', { pacing: { budget: 10_000 }, timeoutMs: 120_000 });
    const input = { scanMode: true, scanPageSize: 5_000 };
    let pageJsonMB = 0;
    // Warm-up: token, sockets, JIT.
    for await (const page of client.pages('activity.getAll', input, { maxItems: 5_000 })) void page;

    // Size of one page of 5,000 activities, held after a GC (what one buffered page costs).
    const onePage = await measure('hold one page of 5000', async (sample) => {
      let held: unknown[] = [];
      for await (const page of client.pages('activity.getAll', input, { maxItems: 5_000 })) held = page.items;
      sample();
      pageJsonMB = round(JSON.stringify(held).length / MB, 1);
      return held.length;
    });
    const stream = (pageSize: number, count: number) =>
      measure(`stream ${count} at ${pageSize} per page (drop after use)`, async (sample) => {
        let items = 0;
        for await (const page of client.pages('activity.getAll', { scanMode: true, scanPageSize: pageSize }, { maxItems: count })) {
          items += page.items.length;
          sample();
        }
        return items;
      });
    const streaming = await stream(5_000, STREAM_N);
    const streaming500 = await stream(500, SUB);
    let kept: unknown[] | undefined;
    const accumulate = await measure(`accumulate ${SUB} items`, async (sample) => {
      kept = [];
      for await (const page of client.pages('activity.getAll', input, { maxItems: SUB })) {
        for (const item of page.items) kept.push(item);
        sample();
      }
      return kept.length;
    });
    kept = undefined;
    const graph = graphBenchClient(child.emulator, 'graphbig', { perMinute: 10_000 });
    let graphPageJsonMB = 0;
    for await (const page of graph.pages('alert.getAll', { top: 1_000 }, { maxItems: 1_000 })) graphPageJsonMB = round(JSON.stringify(page.items).length / MB, 1);
    const graphStream = (top: number, count: number) =>
      measure(`stream ${count} Graph alerts at $top ${top} (drop after use)`, async (sample) => {
        let items = 0;
        for await (const page of graph.pages('alert.getAll', { top }, { maxItems: count })) {
          items += page.items.length;
          sample();
        }
        return items;
      });
    const graph1000 = await graphStream(1_000, GRAPH_N);
    // 50 pages: the emulator sorts every alert for each page, and growth is bounded by the page.
    const graph100 = await graphStream(100, 5_000);
    const factor = N / SUB;
    const scaled = factor === 1 ? '' : ` (measured on ${SUB}, ×${factor})`;
    return {
      figures: [
        figure('heapGrowthMB100k', 'core iterator, 100k activities streamed: live heap growth', streaming.liveGrowthMB, 'MB', { op: '<=', value: 20 }, `${streaming.items} items${STREAM_N < N ? ' (quick)' : ''} in ${streaming.seconds} s; one page of 5000 = ${pageJsonMB} MB JSON, ${onePage.liveGrowthMB} MB held; raw peak (no forced GC) +${streaming.rawPeakGrowthMB} MB; still pinned by the idle keep-alive socket after the run: +${streaming.retainedAfterMB} MB`),
        figure('heapGrowthMB100k.page500', 'core iterator, scan pages of 500: live heap growth', streaming500.liveGrowthMB, 'MB', { op: '<=', value: 20 }, `${streaming500.items} items; raw peak +${streaming500.rawPeakGrowthMB} MB (growth is bounded by page size, not N); still pinned after: +${streaming500.retainedAfterMB} MB`),
        figure('heapGrowthMB100k.accumulate', 'accumulate-everything loop: live heap growth for 100k', round(accumulate.liveGrowthMB * factor, 0), 'MB', undefined, `${accumulate.items} items${scaled}; raw peak +${round(accumulate.rawPeakGrowthMB * factor, 0)} MB; includes the same socket pins`),
        figure('heapGrowthMB.graph1000', 'core iterator, Graph alerts_v2 streamed at $top 1000: live heap growth', graph1000.liveGrowthMB, 'MB', { op: '<=', value: 20 }, `${graph1000.items} alerts in ${graph1000.seconds} s; one page of 1000 = ${graphPageJsonMB} MB JSON; raw peak +${graph1000.rawPeakGrowthMB} MB; still pinned after: +${graph1000.retainedAfterMB} MB`),
        figure('heapGrowthMB.graph100', 'core iterator, Graph alerts_v2 streamed at $top 100: live heap growth', graph100.liveGrowthMB, 'MB', { op: '<=', value: 20 }, `${graph100.items} alerts in ${graph100.seconds} s; raw peak +${graph100.rawPeakGrowthMB} MB; still pinned after: +${graph100.retainedAfterMB} MB`),
        figure('heapGrowthMB100k.nodeRedPerPage', 'Node-RED per-page output mode', null, '', undefined, 'not measured: node-red/mdca-activity has no per-page output mode yet; the streaming row is the equivalent (consume a page, drop it)'),
      ],
      details: { onePage, pageJsonMB, streaming, streaming500, accumulate, graphPageJsonMB, graph1000, graph100 },
    };
  } finally {
    await child.close();
  }
});
