// The shape of the records an operation returns, as key names and value types only, never values:
// what the connection check compares between a tenant and the emulator. Keys are read two levels
// deep ("appData.saas"); a key that does not look like a field name (a map keyed by data, such as
// an e-mail address) is never shown: it counts as "(other keys)".
export type ValueType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

/** Key path → the types seen under it. */
export type KeyProfile = Record<string, ValueType[]>;

/** Operation id → its profile, for one service. */
export type ServiceKeyProfile = Record<string, KeyProfile>;

export interface KeyDifferences {
  /** Keys the tenant returned that the emulator never does, with their types. */
  onlyInTenant: { key: string; types: ValueType[] }[];
  /** Keys the emulator returns that no tenant record had. */
  onlyInEmulator: string[];
  /** Keys both have with a type the emulator never gives (null counts as compatible with any type). */
  typeDiffers: { key: string; tenant: ValueType[]; emulator: ValueType[] }[];
}

// A field name, or an OData annotation (`@odata.type`, `id@odata.navigationLink`); an e-mail
// address, a host name or a GUID used as a key is data, not a field.
const FIELD_NAME = /^(?:[A-Za-z_$][A-Za-z0-9_$]{0,63}|(?:[A-Za-z_$][A-Za-z0-9_$]{0,63})?@odata\.[A-Za-z]{1,40})$/;
const OTHER_KEYS = '(other keys)';
const MAX_KEYS = 400;

export function typeOf(value: unknown): ValueType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

function add(profile: KeyProfile, key: string, type: ValueType): void {
  const types = profile[key];
  if (!types) {
    if (Object.keys(profile).length < MAX_KEYS) profile[key] = [type];
  } else if (!types.includes(type)) {
    types.push(type);
    types.sort();
  }
}

/** Adds the keys of `records` to `profile` (a new one by default). */
export function profileRecords(records: readonly unknown[], profile: KeyProfile = {}): KeyProfile {
  for (const record of records) {
    if (typeOf(record) !== 'object') continue;
    for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
      const name = FIELD_NAME.test(key) ? key : OTHER_KEYS;
      add(profile, name, typeOf(value));
      if (name === OTHER_KEYS || typeOf(value) !== 'object') continue;
      for (const [inner, innerValue] of Object.entries(value as Record<string, unknown>)) {
        add(profile, FIELD_NAME.test(inner) ? `${name}.${inner}` : `${name}.${OTHER_KEYS}`, typeOf(innerValue));
      }
    }
  }
  return profile;
}

/** Sorted copy, so a stored profile reads the same whatever order records came in. */
export function sortedProfile(profile: KeyProfile): KeyProfile {
  const out: KeyProfile = {};
  for (const key of Object.keys(profile).sort()) out[key] = [...profile[key]].sort();
  return out;
}

/** How a tenant's records differ from the emulator's, by keys and types. */
export function compareProfiles(tenant: KeyProfile, emulator: KeyProfile): KeyDifferences {
  const onlyInTenant: KeyDifferences['onlyInTenant'] = [];
  const typeDiffers: KeyDifferences['typeDiffers'] = [];
  for (const [key, types] of Object.entries(tenant)) {
    const known = emulator[key];
    if (!known) onlyInTenant.push({ key, types });
    else if (types.some((t) => t !== 'null' && !known.includes(t))) typeDiffers.push({ key, tenant: types, emulator: known });
  }
  const onlyInEmulator = Object.keys(emulator).filter((key) => !(key in tenant));
  return { onlyInTenant, onlyInEmulator, typeDiffers };
}

export function hasDifferences(d: KeyDifferences): boolean {
  return d.onlyInTenant.length > 0 || d.onlyInEmulator.length > 0 || d.typeDiffers.length > 0;
}
