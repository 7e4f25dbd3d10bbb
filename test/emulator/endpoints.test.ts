// Every MDCA endpoint answers in its documented shape, under /api and /cas/api, with and without
// the trailing slash, and list endpoints accept GET/POST with JSON, form, multipart and query.
import type { RunningEmulator } from '../../emulator';
import { apiClient, rawClient, tokenHeader } from '../support/emulator-client';
import { emulatorPerFile } from '../support/emulator-per-file';
import type { AxiosInstance } from 'axios';

let emu: RunningEmulator;
let api: AxiosInstance;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => {
  emu = e;
  api = apiClient(emu, tokenHeader(emu));
});

const variants = (path: string): string[] => [`/api${path}/`, `/api${path}`, `/cas/api${path}/`, `/cas/api${path}`];
const isEnvelope = (d: unknown): void => {
  expect(d).toEqual(expect.objectContaining({ data: expect.any(Array), hasNext: expect.any(Boolean), total: expect.any(Number), max: expect.any(Number), moreThanTotal: expect.any(Boolean) }));
};

describe('list endpoints (A1, B1, C1, D1, F1)', () => {
  const lists: Array<[string, string, number]> = [
    ['activities', '/v1/activities', 1000],
    ['alerts', '/v1/alerts', 250],
    ['entities', '/v1/entities', 100],
    ['subnets', '/v1/subnet', 10],
    ['files', '/v1/files', 100],
  ];
  test.each(lists)('%s: both prefixes, with/without slash, GET and POST', async (_name, path, minTotal) => {
    for (const p of variants(path)) {
      for (const method of ['get', 'post'] as const) {
        const res = await api.request({ method, url: p, data: { limit: 5 }, maxRedirects: 0 });
        expect(res.status).toBe(200);
        isEnvelope(res.data);
        expect(res.data.data).toHaveLength(5);
        expect(res.data.max).toBe(5);
        expect(res.data.total).toBeGreaterThanOrEqual(Math.min(minTotal, 5));
      }
    }
  });

  test('JSON, form-urlencoded, multipart and query-string parameters are all read', async () => {
    const filters = { severity: { eq: [2] } };
    const json = await api.post('/api/v1/alerts/', { filters, limit: 3 });
    const form = await api.post('/api/v1/alerts/', new URLSearchParams({ filters: JSON.stringify(filters), limit: '3' }).toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const boundary = 'XyZ123';
    const multipartBody = [`--${boundary}`, 'Content-Disposition: form-data; name="filters"', '', JSON.stringify(filters), `--${boundary}`, 'Content-Disposition: form-data; name="limit"', '', '3', `--${boundary}--`, ''].join('\r\n');
    const multipart = await api.post('/api/v1/alerts/', multipartBody, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    const query = await api.get(`/api/v1/alerts/?limit=3&filters=${encodeURIComponent(JSON.stringify(filters))}`);
    const getWithBody = await api.request({ method: 'GET', url: '/api/v1/alerts/', data: JSON.stringify({ filters, limit: 3 }), headers: { 'content-type': 'application/json' } });
    for (const res of [json, form, multipart, query, getWithBody]) {
      expect(res.status).toBe(200);
      expect(res.data.data).toHaveLength(3);
      expect(res.data.data.every((a: { severityValue: number }) => a.severityValue === 2)).toBe(true);
      expect(res.data.total).toBe(json.data.total);
    }
  });

  test('limit defaults to 100 and is clamped to 100', async () => {
    const d = (await api.post('/api/v1/alerts/', {})).data;
    expect(d.data).toHaveLength(100);
    expect(d.max).toBe(100);
    const big = (await api.post('/api/v1/alerts/', { limit: 1000 })).data;
    expect(big.data).toHaveLength(100);
    expect(big.max).toBe(100);
    expect(big.hasNext).toBe(true);
  });

  test('the intro-table alias /api/subnet/ works', async () => {
    const res = await api.get('/api/subnet/');
    expect(res.status).toBe(200);
    isEnvelope(res.data);
  });
});

describe('activities (A2, A3)', () => {
  test('fetch returns the bare record; unknown id → 404', async () => {
    const first = (await api.post('/api/v1/activities/', { limit: 1 })).data.data[0];
    expect(first._id).toMatch(/^\d+_\d+_[0-9a-f-]{36}$/);
    expect(first).toEqual(expect.objectContaining({ timestamp: expect.any(Number), created: expect.any(Number), appId: expect.any(Number), description: expect.any(String), eventTypeValue: expect.any(String) }));
    expect(first.device.clientIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(first.user.userName).toContain('@contoso.example');
    for (const p of [`/api/v1/activities/${first._id}/`, `/cas/api/v1/activities/${first._id}`]) {
      const res = await api.get(p);
      expect(res.status).toBe(200);
      expect(res.data).toEqual(first);
    }
    const missing = await api.get('/api/v1/activities/1_2_00000000-0000-4000-8000-000000000000/');
    expect(missing.status).toBe(404);
    expect(missing.data).toEqual({ detail: 'Not found.' });
  });

  test('feedback accepts both body styles', async () => {
    const id = (await api.post('/api/v1/activities/', { limit: 1 })).data.data[0]._id;
    const a = await api.post(`/api/v1/activities/${id}/feedback`, { feedbackValue: '0', feedbackText: 'Irrelevant', allowContact: false, contactEmail: 'x@contoso.example' });
    const b = await api.post(`/cas/api/v1/activities/${id}/feedback/`, { feedback: 'Irrelevant' });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(emu.control.getActivityFeedback('contoso')).toHaveLength(2);
  });
});

describe('alerts (B2–B10, reopen)', () => {
  const alertIds = (): string[] => emu.control.listAlerts('contoso').map((a) => String(a._id));

  test('fetch returns the bare alert; unknown → 404', async () => {
    const truth = emu.control.listAlerts('contoso')[0];
    for (const p of variants(`/v1/alerts/${String(truth._id)}`)) {
      const res = await api.get(p);
      expect(res.status).toBe(200);
      expect(res.data).toEqual(truth);
    }
    expect(truth).toEqual(expect.objectContaining({ _id: expect.stringMatching(/^[0-9a-f]{24}$/), timestamp: expect.any(Number), severityValue: expect.any(Number), statusValue: expect.any(Number), resolutionStatusValue: expect.any(Number), title: expect.any(String), URL: expect.stringContaining('/#/alerts/') }));
    expect((truth.entities as Array<{ type: string }>).map((e) => e.type)).toEqual(expect.arrayContaining(['account', 'ip', 'service']));
    expect((await api.get('/api/v1/alerts/ffffffffffffffffffffffff/')).status).toBe(404);
  });

  test('close_benign / close_false_positive / close_true_positive set 4/3/5 and report alertsNotFound', async () => {
    const [a, b, c] = alertIds();
    const missing = '5f843e9cfe3f6d80fe58a962';
    const benign = await api.post('/api/v1/alerts/close_benign/', { filters: { id: { eq: [a, missing] } }, reasonId: 2, comment: 'pen test' });
    expect(benign.data).toEqual({ closed_benign: 1, alertsNotFound: [missing] });
    const fp = await api.post('/cas/api/v1/alerts/close_false_positive', { filters: { id: { eq: b } }, reasonId: 1 });
    expect(fp.data).toEqual({ closed_false_positive: 1 });
    const tp = await api.post('/api/v1/alerts/close_true_positive', { filters: { ID: { eq: [c] } }, comment: 'confirmed' });
    expect(tp.data).toEqual({ closed_true_positive: 1 });
    expect(emu.control.getAlert('contoso', a)).toEqual(expect.objectContaining({ resolutionStatusValue: 4, comment: 'pen test', resolveTime: expect.any(String) }));
    expect(emu.control.getAlert('contoso', b)?.resolutionStatusValue).toBe(3);
    expect(emu.control.getAlert('contoso', c)?.resolutionStatusValue).toBe(5);
  });

  test('reasonId sets are validated per call; an unknown `reason` key is tolerated', async () => {
    const [a] = alertIds();
    expect((await api.post('/api/v1/alerts/close_benign/', { filters: { id: { eq: [a] } }, reasonId: 0 })).status).toBe(400);
    expect((await api.post('/api/v1/alerts/close_false_positive/', { filters: { id: { eq: [a] } }, reasonId: 6 })).status).toBe(400);
    expect((await api.post('/api/v1/alerts/close_false_positive/', { filters: { id: { eq: [a] } }, reason: 2 })).status).toBe(200);
  });

  test('deprecated dismiss_bulk / resolve / dismiss answer with both keys; reopen', async () => {
    const [, , , d, e, f] = alertIds();
    expect((await api.post('/api/v1/alerts/dismiss_bulk/', { filters: { id: { eq: [d] } } })).data).toEqual({ closed_false_positive: 1, dismissed: 1 });
    expect((await api.post('/api/v1/alerts/resolve', { filters: { id: { eq: [e] } } })).data).toEqual({ closed_true_positive: 1, resolved: 1 });
    expect((await api.post(`/api/v1/alerts/${f}/dismiss/`, { comment: 'old client' })).data).toEqual({ closed_false_positive: 1, dismissed: 1 });
    expect(emu.control.getAlert('contoso', f)?.resolutionStatusValue).toBe(3);
    expect((await api.post('/api/v1/alerts/reopen/', { filters: { id: { eq: [d, e, f] } } })).data).toEqual({ reopened: 3 });
    expect(emu.control.getAlert('contoso', d)?.resolutionStatusValue).toBe(0);
  });

  test('read / unread set statusValue 1 / 0', async () => {
    const [a] = alertIds();
    expect((await api.post(`/api/v1/alerts/${a}/read/`)).status).toBe(200);
    expect(emu.control.getAlert('contoso', a)?.statusValue).toBe(1);
    expect((await api.post(`/cas/api/v1/alerts/${a}/unread`)).status).toBe(200);
    expect(emu.control.getAlert('contoso', a)?.statusValue).toBe(0);
    expect((await api.post('/api/v1/alerts/ffffffffffffffffffffffff/read/')).status).toBe(404);
  });
});

describe('entities (C2, C3)', () => {
  test('fetch by base64 pk: standard/url-safe, padded or not, key order, with or without saas', async () => {
    const user = emu.control.listEntities('contoso').find((e) => e.type === 2)!;
    const forms = [
      JSON.stringify({ id: user.id, saas: 11161, inst: 0 }),
      JSON.stringify({ inst: 0, saas: 11161, id: user.id }),
      JSON.stringify({ id: user.id, inst: 0 }),
    ];
    for (const json of forms) {
      const std = Buffer.from(json).toString('base64');
      for (const encoded of [std, std.replace(/=+$/, ''), Buffer.from(json).toString('base64url')]) {
        const res = await api.get(`/api/v1/entities/${encodeURIComponent(encoded)}/`);
        expect(res.status).toBe(200);
        expect(res.data._id).toBe(user._id);
      }
    }
    const res = await api.get(`/cas/api/v1/entities/${Buffer.from(forms[0]).toString('base64url')}`);
    expect(res.data._id).toBe(user._id);
    expect((await api.get(`/api/v1/entities/${Buffer.from(JSON.stringify({ id: 'nope', saas: 1, inst: 0 })).toString('base64')}/`)).status).toBe(404);
  });

  test('tree for a user lists its accounts; for an account its user and siblings; plain id accepted', async () => {
    const entities = emu.control.listEntities('contoso');
    const user = entities.find((e) => e.type === 2)!;
    const pk = Buffer.from(JSON.stringify({ id: user.id, saas: 11161, inst: 0 })).toString('base64');
    for (const key of [encodeURIComponent(pk), String(user.id)]) {
      const res = await api.get(`/api/v1/entities/${key}/retrieve_tree/`);
      expect(res.status).toBe(200);
      expect(res.data.entity._id).toBe(user._id);
      expect(res.data.user._id).toBe(user._id);
      expect(res.data.accounts.length).toBeGreaterThan(0);
      expect(res.data.accounts.every((a: { id: string; type: number }) => a.id === user.id && a.type === 1)).toBe(true);
    }
    const account = entities.find((e) => e.type === 1)!;
    const apk = Buffer.from(JSON.stringify({ id: account.id, saas: (account.appData as { saas: number }).saas, inst: 0 })).toString('base64url');
    const tree = await api.get(`/cas/api/v1/entities/${apk}/retrieve_tree`);
    expect(tree.data.entity._id).toBe(account._id);
    expect(tree.data.user.type).toBe(2);
  });
});

describe('subnets (D2–D4)', () => {
  test('create returns a bare string id; IPv4 stored as mapped IPv6; update replaces; delete', async () => {
    const created = await api.post('/api/v1/subnet/create_rule/', { name: 'Test range', category: '1', subnets: ['192.168.1.0/24', '2001:db8::/32'], organization: 'Contoso', tags: ['existing tag'] });
    expect(created.status).toBe(200);
    expect(typeof created.data).toBe('string');
    expect(created.data).toMatch(/^[0-9a-f]{24}$/);
    const stored = emu.control.getSubnets('contoso').find((s) => s._id === created.data)!;
    expect(stored.subnets).toEqual([
      { mask: 120, address: '0000:0000:0000:0000:0000:ffff:c0a8:0100', originalString: '192.168.1.0/24' },
      { mask: 32, address: '2001:0db8:0000:0000:0000:0000:0000:0000', originalString: '2001:db8::/32' },
    ]);
    expect(stored.category).toBe(1);
    const upd = await api.post(`/cas/api/v1/subnet/${created.data}/update_rule`, { name: 'Test range', category: 3, subnets: ['10.0.0.0/8'] });
    expect(upd.status).toBe(200);
    const after = emu.control.getSubnets('contoso').find((s) => s._id === created.data)!;
    expect(after.organization).toBeNull();
    expect(after.tags).toEqual([]);
    expect(after.category).toBe(3);
    expect((await api.delete(`/api/v1/subnet/${created.data}/`)).status).toBe(200);
    expect((await api.delete(`/api/v1/subnet/${created.data}`)).status).toBe(404);
    expect((await api.post('/api/v1/subnet/ffffffffffffffffffffffff/update_rule/', { name: 'x', category: 1, subnets: ['10.0.0.0/8'] })).status).toBe(404);
  });

  test('validation: invalid CIDR, bad category, duplicate name, missing fields → 400', async () => {
    const bad = [
      { name: 'A', category: 1, subnets: ['300.1.1.1/24'] },
      { name: 'B', category: 1, subnets: ['10.0.0.0/33'] },
      { name: 'C', category: 9, subnets: ['10.0.0.0/8'] },
      { name: 'Corporate HQ', category: 1, subnets: ['10.0.0.0/8'] },
      { category: 1, subnets: ['10.0.0.0/8'] },
      { name: 'D', category: 1 },
    ];
    for (const body of bad) {
      const res = await api.post('/api/v1/subnet/create_rule/', body);
      expect(res.status).toBe(400);
      expect(res.data.error).toBe(true);
      expect(res.data.filters[0].errorMessageCode).toBe('CONSOLE_FORMS_NOT_VALID_VALUE');
    }
  });
});

describe('discovery (E1–E6)', () => {
  test('streams → {streams: [...]}; categories → bare array (needs streamId)', async () => {
    for (const p of ['/api/discovery/streams/', '/cas/api/discovery/streams']) {
      const res = await api.get(p);
      expect(res.status).toBe(200);
      expect(res.data.streams).toHaveLength(3);
      expect(res.data.streams[0]).toEqual(expect.objectContaining({ _id: expect.any(String), displayName: expect.any(String), logType: expect.any(Number) }));
    }
    const streamId = emu.control.listStreams('contoso')[0]._id;
    const cats = await api.post('/api/v1/discovery/discovered_apps/categories/', { streamId, sortField: 'score', sortDirection: 'desc' });
    expect(cats.status).toBe(200);
    expect(Array.isArray(cats.data)).toBe(true);
    expect(cats.data[0]).toEqual({ id: expect.stringMatching(/^SAASDB_CATEGORY_/), total: expect.any(Number) });
    expect((await api.post('/cas/api/v1/discovery/discovered_apps/categories', {})).status).toBe(400);
  });

  test('upload: initiate → PUT (single and blocks) → finalize', async () => {
    const blob = rawClient(emu);
    for (const source of ['BLUECOAT', 'CUSTOM_PARSER', 'ZSCALER_SYSLOG']) {
      const init = await api.get(`/api/v1/discovery/upload_url/?filename=fw.log&source=${source}`);
      expect(init.status).toBe(200);
      expect(init.data).toEqual({ url: expect.stringContaining(`${emu.identityUrl}/_blob/`), provider: 'azure' });
      expect(init.data.url).toMatch(/[?&]sig=/);
    }
    expect((await api.get('/api/v1/discovery/upload_url/?filename=fw.log&source=NOT_A_SOURCE')).status).toBe(400);

    const single = (await api.get('/api/v1/discovery/upload_url/?filename=a.log&source=PALO_ALTO')).data.url as string;
    expect((await blob.put(single, 'line1\nline2\n')).status).toBe(400); // x-ms-blob-type missing
    expect((await api.post('/api/v1/discovery/done_upload/', { uploadUrl: single, inputStreamName: 'fw' })).status).toBe(400); // blob does not exist yet
    expect((await blob.put(single, 'line1\nline2\n', { headers: { 'x-ms-blob-type': 'BlockBlob' } })).status).toBe(201);
    expect((await blob.put(single.replace(/sig=[^&]+/, 'sig=forged'), 'x', { headers: { 'x-ms-blob-type': 'BlockBlob' } })).status).toBe(403);
    const done = await api.post('/api/v1/discovery/done_upload/', { uploadUrl: single, inputStreamName: 'fw', uploadAsSnapshot: true });
    expect(done.status).toBe(200);
    expect(done.data.success).toBe(true);

    const blocks = (await api.get('/cas/api/v1/discovery/upload_url?filename=b.log&source=SQUID')).data.url as string;
    const ids = ['YmxvY2stMDAx', 'YmxvY2stMDAy'];
    for (const id of ids) expect((await blob.put(`${blocks}&comp=block&blockid=${encodeURIComponent(id)}`, Buffer.alloc(1000, 65))).status).toBe(201);
    const xml = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((i) => `<Latest>${i}</Latest>`).join('')}</BlockList>`;
    expect((await blob.put(`${blocks}&comp=blocklist`, xml)).status).toBe(201);
    const form = await api.post('/api/v1/discovery/done_upload', new URLSearchParams({ uploadUrl: blocks, inputStreamName: 'proxy' }).toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(200);
    const uploads = emu.control.getUploads('contoso');
    expect(uploads.find((u) => u.url === blocks)).toEqual(expect.objectContaining({ size: 2000, committed: true, finalized: true, blocks: 2, inputStreamName: 'proxy' }));
    expect((await api.post('/api/v1/discovery/done_upload/', { uploadUrl: 'https://evil.example/_blob/x?sig=1' })).status).toBe(400);
  });

  test('block scripts are text/plain per format; unknown format → 400', async () => {
    const blueCoat = await api.get('/api/discovery_block_scripts/?format=102&type=banned', { responseType: 'text' });
    expect(blueCoat.status).toBe(200);
    expect(blueCoat.headers['content-type']).toContain('text/plain');
    expect(blueCoat.data).toMatch(/^url\.domain=\S+ deny$/m);
    const websense = await api.get('/cas/api/discovery_block_scripts?format=135&type=banned', { responseType: 'text' });
    expect(websense.data).toMatch(/^dest_host=\S+ action=deny$/m);
    for (const f of [104, 108, 112, 120, 129]) expect((await api.get(`/api/discovery_block_scripts/?format=${f}&type=banned`)).status).toBe(200);
    expect((await api.get('/api/discovery_block_scripts/?format=999&type=banned')).status).toBe(400);
  });
});

describe('files (F1, F2)', () => {
  test('fetch and filters', async () => {
    const list = (await api.post('/api/v1/files/', { filters: { fileType: { eq: [1] } }, limit: 10 })).data;
    expect(list.data.length).toBeGreaterThan(0);
    expect(list.data.every((f: { ftype: number }) => f.ftype === 1)).toBe(true);
    const id = list.data[0]._id;
    for (const p of variants(`/v1/files/${id}`)) expect((await api.get(p)).data._id).toBe(id);
    expect((await api.get('/api/v1/files/ffffffffffffffffffffffff/')).status).toBe(404);
    const folders = (await api.post('/api/v1/files/', { filters: { folder: { eq: true } } })).data;
    expect(folders.data.every((f: { isFolder: boolean }) => f.isFolder)).toBe(true);
  });
});

test('unknown paths → 404 {"detail"}, wrong method → 405, no redirects', async () => {
  expect((await api.get('/api/v1/nothing/')).status).toBe(404);
  expect((await api.put('/api/v1/alerts/')).status).toBe(405);
});
