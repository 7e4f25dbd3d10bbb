// The emulator's alert, activity, entity, file and IP range records have the keys and value types
// of the records other integrations recorded from real tenants (emulator/fixtures/
// recorded-profiles.json; emulator/README.md "How close the records are to real ones"), read over
// HTTPS as a client reads them.
import type { AxiosInstance } from 'axios';
import { compareShapes, mergeShapes, omitPath, Shape, ShapeDifference, shapeOfAll } from '../../core/record-shape';
import profiles from '../../emulator/fixtures/recorded-profiles.json';
import { apiClient, tokenHeader } from '../support/emulator-client';
import { emulatorPerFile } from '../support/emulator-per-file';

type Rec = Record<string, unknown>;
interface Profile {
  name: string;
  source: string;
  match?: Record<string, unknown>;
  omitted?: string[];
  shape: Shape;
}

// The fixture's JSON type is inferred from its values; the test reads it as the profiles it holds.
const RECORDED = profiles.records as unknown as Record<string, Profile[]>;

/**
 * Keys only the emulator has, each with why it stays. All back a documented filter the emulator
 * evaluates on the record itself; no published recording shows a record those filters matched.
 */
const EMULATOR_ONLY: Record<string, Record<string, string>> = {
  alert: {
    alertType: 'the documented alertType filter reads it',
    isMarkdown: "Microsoft's alert property table documents it; no recording shows it",
  },
  activity: {
    actionType: 'the documented actionType filter reads it',
    adminEvent: 'the documented activity.type (admin events) filter reads it',
    impersonated: 'the documented activity.impersonated filter reads it',
    'device.type': 'the documented device.type filter reads it',
    'device.tags': 'the documented device.tags filter reads it',
    'user.orgUnit': 'the documented user.orgUnit filter reads it',
    'user.domain': 'the documented user.domain filter reads it',
  },
  entity: {
    threatScoreHistory: 'a third-party client (STAT) reads it from entity fetch; no recording shows it',
  },
  file: {
    ownerEntity: 'the documented owner.entity filter reads it',
    ownerOrgUnit: 'the documented owner.orgUnit filter reads it',
    policies: 'the documented policy filter reads it',
    fileLabels: 'the documented fileLabels filter reads it',
    fileScanLabels: 'the documented fileScanLabels filter reads it',
    trashed: 'the documented trashed filter reads it',
    quarantined: 'the documented quarantined filter reads it',
  },
  ipRange: {
    builtIn: 'the documented builtIn filter reads it',
  },
};

const PATHS: Record<string, string> = { alert: '/api/v1/alerts/', activity: '/api/v1/activities/', entity: '/api/v1/entities/', file: '/api/v1/files/', ipRange: '/api/v1/subnet/' };

let api: AxiosInstance;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (emu) => {
  api = apiClient(emu, tokenHeader(emu));
});

async function listAll(path: string): Promise<Rec[]> {
  const out: Rec[] = [];
  for (;;) {
    const res = await api.post(path, { skip: out.length, limit: 100 });
    expect(res.status).toBe(200);
    out.push(...(res.data.data as Rec[]));
    if (!res.data.hasNext) return out;
  }
}

const valueAt = (r: Rec, dotted: string): unknown => dotted.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Rec)[k] : undefined), r);
const matches = (r: Rec, match: Record<string, unknown> = {}): boolean => Object.entries(match).every(([k, v]) => valueAt(r, k) === v);
const describeDiff = (d: ShapeDifference): string => `${d.kind} ${d.path}${d.kind === 'type' ? ` (${d.expected} → ${d.actual})` : ''}`;

describe.each(Object.keys(PATHS))('%s records', (type) => {
  const recorded = RECORDED[type];
  let records: Rec[];
  beforeAll(async () => {
    records = await listAll(PATHS[type]);
  });

  test.each(recorded.map((p) => [p.name, p] as const))('every key and type of the recording "%s" (no missing keys, no type differences)', (_name, profile) => {
    const subset = records.filter((r) => matches(r, profile.match));
    expect(subset.length).toBeGreaterThan(0);
    const expected = (profile.omitted ?? []).reduce(omitPath, profile.shape);
    const diffs = compareShapes(expected, shapeOfAll(subset)).filter((d) => d.kind !== 'extra');
    expect(diffs.map(describeDiff)).toEqual([]);
  });

  test('no key that no recording shows, except the documented emulator-only keys', () => {
    const union = recorded.map((p) => p.shape).reduce(mergeShapes);
    const extras = compareShapes(union, shapeOfAll(records)).filter((d) => d.kind === 'extra').map((d) => d.path);
    expect(extras.sort()).toEqual(Object.keys(EMULATOR_ONLY[type]).sort());
  });
});

test('the profiles keep key names and types, never values', () => {
  // Every string in a shape is a type list; key names and entity type names are object keys.
  const leaves = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : []);
  const all = Object.values(RECORDED).flat();
  expect(all.length).toBeGreaterThan(0);
  const typeList = /^(string|number|boolean|null|object|array)(\|(string|number|boolean|null|object|array))*$/;
  expect(all.flatMap((p) => leaves(p.shape)).filter((l) => !typeList.test(l))).toEqual([]);
  for (const p of all) expect(Object.keys(profiles.sources)).toContain(p.source);
});
