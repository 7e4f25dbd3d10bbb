// The large-set generator: 100k activities are computed from their index, so scanning them all
// at 5000 per page keeps memory modest (no per-request copy of the whole set).
import v8 from 'v8';
import vm from 'vm';
import { startEmulator, RunningEmulator } from '../../emulator';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
import { apiClient, tokenHeader } from '../support/emulator-client';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ tenants: [{ name: 'contoso', throttle: false, counts: { activities: 100_000, alerts: 10, entities: 10, files: 5 } }] });
});
afterAll(() => emu.close());

test('scan mode pages 100k activities at 5000, each exactly once, with modest heap growth', async () => {
  const api = apiClient(emu, tokenHeader(emu));
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const seen = new Set<string>();
  let body: Record<string, unknown> = { isScan: true, limit: 5000, filters: {} };
  let pages = 0;
  let lastTs = Infinity;
  let outOfOrder = 0;
  for (;;) {
    const res = await api.post('/api/v1/activities/', body);
    expect(res.status).toBe(200);
    const d = res.data as { data: Array<{ _id: string; timestamp: number }>; hasNext: boolean; nextQueryFilters?: Record<string, unknown>; max: number };
    expect(d.max).toBe(5000);
    pages++;
    for (const a of d.data) {
      if (a.timestamp > lastTs) outOfOrder++;
      lastTs = a.timestamp;
      seen.add(a._id);
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    if (!d.hasNext) break;
    body = { ...body, filters: d.nextQueryFilters };
  }
  expect(outOfOrder).toBe(0);
  expect(seen.size).toBe(100_000);
  expect(pages).toBeGreaterThanOrEqual(20);
  gc();
  const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const peakMb = (peak - heapBefore) / 1024 / 1024;
  // 100k materialised records would be several hundred MB; the seen-id set alone is ~10 MB.
  expect(growthMb).toBeLessThan(60);
  // Peak includes each page's parse garbage (GC timing varies), so it only catches gross copies.
  expect(peakMb).toBeLessThan(400);
}, 120_000);

test('plain skip/limit and a filtered count over the large set', async () => {
  const api = apiClient(emu, tokenHeader(emu));
  const first = (await api.post('/api/v1/activities/', { limit: 100 })).data;
  expect(first.total).toBe(100_000);
  expect(first.hasNext).toBe(true);
  const ts = first.data[50].timestamp as number;
  const windowed = (await api.post('/api/v1/activities/', { filters: { date: { gte: ts } }, limit: 100 })).data;
  expect(windowed.total).toBeGreaterThanOrEqual(51);
  expect(windowed.total).toBeLessThanOrEqual(53);
  const svc = (await api.post('/api/v1/activities/', { filters: { service: { eq: [11161] } }, limit: 10 })).data;
  expect(svc.data).toHaveLength(10);
  expect(svc.total).toBeGreaterThan(0);
  const fetched = (await api.get(`/api/v1/activities/${first.data[99]._id}/`)).data;
  expect(fetched).toEqual(first.data[99]);
}, 30_000);
