// Paging (skip/limit, activities scan mode with ties) and the filter grammar with its per-resource
// operators.
import type { RunningEmulator } from '../../emulator';
import { apiClient, tokenHeader } from '../support/emulator-client';
import { emulatorPerFile } from '../support/emulator-per-file';
import type { AxiosInstance } from 'axios';

type Rec = Record<string, unknown> & { _id: string };
let emu: RunningEmulator;
let api: AxiosInstance;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => {
  emu = e;
  api = apiClient(emu, tokenHeader(emu));
});

const alertsWhere = async (filters: unknown): Promise<Rec[]> => {
  const out: Rec[] = [];
  for (let skip = 0; ; skip += 100) {
    const res = await api.post('/api/v1/alerts/', { filters, skip, limit: 100 });
    expect(res.status).toBe(200);
    out.push(...(res.data.data as Rec[]));
    if (!res.data.hasNext) return out;
  }
};
const ids = (rs: Rec[]): string[] => rs.map((r) => r._id).sort();

describe('alerts paging', () => {
  test.each([100, 7])('skip/limit %i returns each of 250 alerts exactly once, newest first', async (limit) => {
    const seen: Rec[] = [];
    let total = -1;
    for (let skip = 0; ; skip += limit) {
      const d = (await api.post('/api/v1/alerts/', { skip, limit })).data;
      total = d.total;
      seen.push(...d.data);
      if (!d.hasNext) break;
    }
    expect(total).toBe(250);
    expect(seen).toHaveLength(250);
    expect(new Set(seen.map((a) => a._id)).size).toBe(250);
    const ts = seen.map((a) => Number(a.timestamp));
    expect(ts).toEqual([...ts].sort((a, b) => b - a));
    expect(new Set(ts).size).toBeLessThan(250); // the seed has shared timestamps
  });

  test('sortField severity asc and date asc', async () => {
    const bySeverity = (await api.post('/api/v1/alerts/', { sortField: 'severity', sortDirection: 'asc', limit: 100 })).data.data as Rec[];
    const sev = bySeverity.map((a) => Number(a.severityValue));
    expect(sev).toEqual([...sev].sort((a, b) => a - b));
    const byDate = (await api.post('/api/v1/alerts/', { sortField: 'date', sortDirection: 'asc', limit: 5 })).data.data as Rec[];
    expect(Number(byDate[0].timestamp)).toBeLessThanOrEqual(Number(byDate[4].timestamp));
  });
});

describe('alert filter operators', () => {
  const truth = (): Rec[] => emu.control.listAlerts('contoso') as Rec[];
  const check = async (filters: unknown, pred: (a: Rec) => boolean): Promise<void> => {
    const expected = truth().filter(pred);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(await alertsWhere(filters))).toEqual(ids(expected));
  };
  const entities = (a: Rec) => a.entities as Array<Record<string, unknown>>;

  test('severity / resolutionStatus eq, neq, scalar', async () => {
    await check({ severity: { eq: [0, 2] } }, (a) => a.severityValue === 0 || a.severityValue === 2);
    await check({ severity: { neq: [1] } }, (a) => a.severityValue !== 1);
    await check({ severity: { eq: 2 } }, (a) => a.severityValue === 2);
    await check({ resolutionStatus: { eq: [0] } }, (a) => a.resolutionStatusValue === 0);
    await check({ resolutionStatus: { neq: [0, 3] } }, (a) => a.resolutionStatusValue !== 0 && a.resolutionStatusValue !== 3);
  });

  test('id and ID, eq and neq', async () => {
    const [a, b] = truth();
    await check({ id: { eq: [a._id, b._id] } }, (x) => x._id === a._id || x._id === b._id);
    await check({ ID: { eq: a._id } }, (x) => x._id === a._id);
    await check({ id: { neq: [a._id] } }, (x) => x._id !== a._id);
  });

  test('alertOpen, read', async () => {
    await check({ alertOpen: { eq: true } }, (a) => a.resolutionStatusValue === 0);
    await check({ alertOpen: { eq: false } }, (a) => a.resolutionStatusValue !== 0);
    await check({ read: { eq: true } }, (a) => a.statusValue === 1);
    await check({ read: { eq: 'false' } }, (a) => a.statusValue !== 1);
  });

  test('date gte / lte / range / gte_ndays / lte_ndays and two operators ANDed', async () => {
    const ts = truth().map((a) => Number(a.timestamp));
    const mid = ts[100];
    const low = ts[200];
    await check({ date: { gte: mid } }, (a) => Number(a.timestamp) >= mid);
    await check({ date: { lte: mid } }, (a) => Number(a.timestamp) <= mid);
    await check({ date: { range: [{ start: low, end: mid }] } }, (a) => Number(a.timestamp) >= low && Number(a.timestamp) <= mid);
    await check({ date: { range: { start: low, end: mid } } }, (a) => Number(a.timestamp) >= low && Number(a.timestamp) <= mid);
    const now = emu.control.now();
    await check({ date: { gte_ndays: 7 } }, (a) => Number(a.timestamp) >= now - 7 * 86400_000);
    await check({ date: { lte_ndays: 7 } }, (a) => Number(a.timestamp) <= now - 7 * 86400_000);
    await check({ date: { gte_ndays: 20, lte: mid } }, (a) => Number(a.timestamp) >= now - 20 * 86400_000 && Number(a.timestamp) <= mid);
    // Moving the emulator clock moves relative filters.
    emu.control.setClockOffsetMs(10 * 86400_000);
    const shifted = await alertsWhere({ date: { gte_ndays: 15 } });
    emu.control.setClockOffsetMs(0);
    expect(ids(shifted)).toEqual(ids(truth().filter((a) => Number(a.timestamp) >= now + 10 * 86400_000 - 15 * 86400_000)).map(String));
  });

  test('entity.ip, entity.service, entity.entity (pk with and without saas)', async () => {
    const sample = truth()[3];
    const ip = String(entities(sample).find((e) => e.type === 'ip')!.id);
    await check({ 'entity.ip': { eq: [ip] } }, (a) => entities(a).some((e) => e.type === 'ip' && e.id === ip));
    await check({ 'entity.ip': { neq: ip } }, (a) => !entities(a).some((e) => e.type === 'ip' && e.id === ip));
    await check({ 'entity.service': { eq: [20893] } }, (a) => entities(a).some((e) => e.type === 'service' && e.id === 20893));
    await check({ 'entity.service': { neq: [20893, 11161] } }, (a) => !entities(a).some((e) => e.type === 'service' && (e.id === 20893 || e.id === 11161)));
    const account = entities(sample).find((e) => e.type === 'account')!;
    const byAccount = (a: Rec) => entities(a).some((e) => e.type === 'account' && e.id === account.id);
    await check({ 'entity.entity': { eq: [{ id: account.id, saas: 11161, inst: 0 }] } }, byAccount);
    await check({ 'entity.entity': { eq: { id: account.id, inst: 0 } } }, byAccount);
    await check({ 'entity.entity': { neq: [{ id: account.id, inst: 0 }] } }, (a) => !byAccount(a));
    expect(await alertsWhere({ 'entity.entity': { eq: [{ id: account.id, saas: 99999, inst: 0 }] } })).toHaveLength(0);
  });

  test('invalid filters → 400 in the documented error shape', async () => {
    const unknown = await api.post('/api/v1/alerts/', { filters: { nope: { eq: [1] } } });
    expect(unknown.status).toBe(400);
    expect(unknown.data).toEqual({ filters: [{ error: 'nope is not valid', errorMessageCode: 'CONSOLE_FORMS_NOT_VALID_VALUE', errorMessageParams: { value: 'nope' } }], error: true });
    const op = await api.post('/api/v1/alerts/', { filters: { severity: { gte: 1 } } });
    expect(op.status).toBe(400);
    expect(op.data.filters[0].error).toBe('severity.gte is not valid');
    const badId = await api.post('/api/v1/alerts/', { filters: { id: { eq: ['xyz'] } } });
    expect(badId.data).toEqual({ filters: [{ error: 'xyz is not valid', errorMessageCode: 'CONSOLE_FORMS_NOT_VALID_VALUE', errorMessageParams: { value: 'xyz' } }], error: true });
    expect((await api.post('/api/v1/alerts/', { filters: { severity: { eq: ['high'] } } })).status).toBe(400);
  });
});

describe('other resources filter', () => {
  test('entities: type, entity pk without saas returns the user and its accounts', async () => {
    const users = (await api.post('/api/v1/entities/', { filters: { type: { eq: 2 } } })).data;
    expect(users.total).toBe(20);
    const xsoar = (await api.post('/api/v1/entities/', { filters: { type: { eq: 'user' } } })).data;
    expect(xsoar.total).toBe(20);
    const id = users.data[0].id;
    const tree = (await api.post('/api/v1/entities/', { filters: { entity: { eq: { id, inst: 0 } } } })).data;
    expect(tree.total).toBe(5);
  });
  test('subnets: category; activities: service, ip.address startswith, user.username', async () => {
    const corp = (await api.post('/api/v1/subnet/', { filters: { category: { eq: [1] } } })).data;
    expect(corp.data.every((s: { category: number }) => s.category === 1)).toBe(true);
    const svc = (await api.post('/api/v1/activities/', { filters: { service: { eq: [15600] } }, limit: 100 })).data;
    expect(svc.data.length).toBeGreaterThan(0);
    expect(svc.data.every((a: { appId: number }) => a.appId === 15600)).toBe(true);
    const ip = (await api.post('/api/v1/activities/', { filters: { 'ip.address': { startswith: ['52.'] } } })).data;
    expect(ip.data.every((a: { device: { clientIP: string } }) => a.device.clientIP.startsWith('52.'))).toBe(true);
    const user = svc.data[0].user.userName;
    const byUser = (await api.post('/api/v1/activities/', { filters: { 'user.username': { eq: user } } })).data;
    expect(byUser.data.every((a: { user: { userName: string } }) => a.user.userName === user)).toBe(true);
  });
});

describe('activities paging (skip horizon, scan mode)', () => {
  test('skip + limit > 5000 → 400', async () => {
    expect((await api.post('/api/v1/activities/', { skip: 4950, limit: 100 })).status).toBe(400);
    expect((await api.post('/api/v1/activities/', { skip: 4900, limit: 100 })).status).toBe(200);
  });

  const scanAll = async (body: Record<string, unknown>): Promise<{ records: Rec[]; pages: number }> => {
    const records: Rec[] = [];
    let pages = 0;
    const req: Record<string, unknown> = { ...body, isScan: true };
    for (;;) {
      const d = (await api.post('/api/v1/activities/', req)).data;
      pages++;
      records.push(...d.data);
      if (!d.hasNext) {
        expect(d.nextQueryFilters).toBeUndefined();
        return { records, pages };
      }
      expect(d.nextQueryFilters).toBeDefined();
      req.filters = d.nextQueryFilters;
    }
  };

  test('scan mode returns every activity exactly once (desc and asc)', async () => {
    const truth = emu.control.listActivities('contoso');
    for (const sortDirection of ['desc', 'asc']) {
      const { records, pages } = await scanAll({ filters: {}, sortDirection });
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(records).toHaveLength(truth.length);
      expect(new Set(records.map((r) => r._id)).size).toBe(truth.length);
    }
    const first = (await api.post('/api/v1/activities/', { isScan: true, limit: 100 })).data;
    expect(first.max).toBe(500); // 500–5000, default 500
  });

  test('scan mode with ties at page boundaries, including a tie group larger than a page', async () => {
    const ts = emu.control.listActivities('contoso')[300].timestamp as number;
    const inserted = emu.control.insertActivities('contoso', Array.from({ length: 1200 }, () => ({ timestamp: ts, appId: 11161 })));
    const small = emu.control.insertActivities('contoso', Array.from({ length: 7 }, () => ({ timestamp: ts - 1 })));
    const truth = emu.control.listActivities('contoso');
    for (const sortDirection of ['desc', 'asc']) {
      const { records } = await scanAll({ filters: {}, sortDirection, limit: 500 });
      expect(records).toHaveLength(truth.length);
      expect(new Set(records.map((r) => r._id)).size).toBe(truth.length);
    }
    const { records } = await scanAll({ filters: { service: { eq: [11161] }, date: { gte: ts - 1 } }, limit: 500 });
    const expected = truth.filter((a) => a.appId === 11161 && Number(a.timestamp) >= ts - 1);
    expect(ids(records)).toEqual(ids(expected as Rec[]));
    expect(inserted.length + small.length).toBe(1207);
  });
});
