// Property-based bad input over every operation in the registry: wrong types, empty values, 100
// k-character strings, invalid IPs/CIDRs, unknown enum values, malformed JSON filters and unknown
// fields. Each must fail with MdcaValidationError (or MdcaConfigurationError) naming the field,
// send nothing (a transport spy records every call), and never throw anything else. The jest setup
// fails the file on any unhandled rejection.
import fc from 'fast-check';
import {
  cloudByName,
  MdcaClient,
  MdcaConfigurationError,
  MdcaError,
  MdcaValidationError,
  OperationDefinition,
  OperationInput,
  operations,
  parseCidr,
  SlidingWindowPacer,
} from '../../core';
import { FakeTime } from '../support/fake-time';
import { SpyTransport, staticTokenProvider } from './helpers';

const RUNS = Number(process.env.MDCA_FC_RUNS ?? 40);
const API = 'https://contoso.us2.portal.cloudappsecurity.com';

function newClient() {
  const time = new FakeTime();
  const transport = new SpyTransport();
  const tokens = staticTokenProvider();
  const client = new MdcaClient({
    cloud: cloudByName('commercial'),
    apiUrl: API,
    transport,
    tokenProvider: tokens,
    clock: time.clock,
    sleep: time.sleep,
    pacer: new SlidingWindowPacer(time.clock, time.sleep, { budget: 10_000 }),
  });
  return { client, transport, tokens };
}

/** A value that passes validation for each input type/format. */
function validValue(input: OperationInput): unknown {
  switch (input.format) {
    case 'alertId':
    case 'objectId':
      return input.type === 'stringList' ? ['0123456789abcdef01234567'] : '0123456789abcdef01234567';
    case 'activityId':
      return '12345_11161_abc-def';
    case 'cidrList':
      return ['10.1.0.0/16'];
    case 'email':
      return 'soc@contoso.com';
    case 'fileName':
      return 'firewall.log';
    case 'entityKey':
      return '{"id":"00000000-0000-4000-8000-000000000001","saas":11161,"inst":0}';
    case 'filterJson':
      return '{"severity":{"eq":[2]}}';
    default:
  }
  switch (input.type) {
    case 'string':
      return 'text';
    case 'number':
      return input.min ?? 1;
    case 'boolean':
      return true;
    case 'options':
      return input.options![0].value;
    case 'multiOptions':
      return [input.options![0].value];
    case 'stringList':
      return ['a'];
    case 'json':
      return '{}';
    case 'dateTime':
      return '2026-01-31T12:00:00Z';
    case 'binary':
      return new Uint8Array([1, 2, 3]);
    default:
      return 'x';
  }
}

/** Every required input, plus the inputs that make `target` active (displayWhen). */
function baseline(def: OperationDefinition, target?: OperationInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const activate = (input: OperationInput): void => {
    if (input.displayWhen) out[input.displayWhen.input] = input.displayWhen.values[0];
  };
  if (target) activate(target);
  for (const input of def.inputs) {
    const active = !input.displayWhen || input.displayWhen.values.includes((out[input.displayWhen.input] ?? def.inputs.find((i) => i.name === input.displayWhen!.input)?.default) as never);
    if (input.required && active && out[input.name] === undefined) out[input.name] = validValue(input);
  }
  return out;
}

const nonEmptyText = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');
const huge = fc.integer({ min: 0, max: 50 }).map((n) => 'a'.repeat(100_000 + n));
const plainObject = fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }).filter((k) => k !== '__proto__'), fc.integer(), { minKeys: 1, maxKeys: 3 });
const wrongScalars = fc.oneof(fc.boolean(), plainObject, fc.array(plainObject, { minLength: 1, maxLength: 2 }));

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}

function matchesOption(input: OperationInput, value: unknown): boolean {
  return (input.options ?? []).some((o) => o.value === value || String(o.value) === safeString(value) || o.name === value);
}

/** Values that must fail validation for this input, or undefined when the type accepts anything. */
function badValues(input: OperationInput): fc.Arbitrary<unknown> | undefined {
  switch (input.type) {
    case 'string': {
      const wrongType = input.format === 'entityKey' ? fc.oneof(fc.boolean(), fc.constant('{"id":'), fc.constant('{"saas":1}'), fc.constant('{"id":"x","saas":"y"}')) : wrongScalars;
      const formatted: Record<string, RegExp> = {
        alertId: /^[0-9a-fA-F]{24}$/,
        objectId: /^[0-9a-fA-F]{24}$/,
        activityId: /^[0-9]+_[0-9]+_[A-Za-z0-9._:-]{1,200}$/,
        email: /^[^\s@]{1,200}@[^\s@]{1,200}\.[^\s@]{1,60}$/,
      };
      const pattern = input.format ? formatted[input.format] : undefined;
      const badFormat = pattern
        ? nonEmptyText.filter((s) => !pattern.test(s.trim()))
        : input.format === 'fileName'
          ? fc.constantFrom('../etc/passwd', 'a/b.log', 'c:\\x.log', '..', 'bad\u0001name')
          : undefined;
      const tooLong = input.format === 'entityKey' ? fc.constant(`{"id":"${'x'.repeat(100_000)}"}`) : huge;
      return fc.oneof(wrongType, tooLong, ...(badFormat ? [badFormat] : []), ...(input.required ? [fc.constantFrom('', '   ', null)] : []));
    }
    case 'number': {
      const nonNumeric = nonEmptyText.filter((s) => !Number.isFinite(Number(s)));
      const outOfRange = [
        ...(input.min !== undefined ? [fc.integer({ min: -1e9, max: input.min - 1 })] : []),
        ...(input.max !== undefined ? [fc.integer({ min: input.max + 1, max: 1e12 })] : []),
      ];
      return fc.oneof(nonNumeric, fc.boolean(), plainObject, fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY), ...outOfRange);
    }
    case 'boolean':
      return fc.oneof(fc.integer(), nonEmptyText.filter((s) => s !== 'true' && s !== 'false'), plainObject);
    case 'options':
      return fc.oneof(nonEmptyText, fc.integer(), plainObject).filter((v) => !matchesOption(input, v));
    case 'multiOptions':
      return fc.array(nonEmptyText.filter((s) => !/[,\n]/.test(s) && !matchesOption(input, s.trim())), { minLength: 1, maxLength: 3 });
    case 'stringList': {
      const wrongItems = fc.array(fc.oneof(plainObject, fc.boolean(), fc.constant(null)), { minLength: 1, maxLength: 3 });
      if (input.format === 'cidrList') {
        const invalidIp = fc.oneof(
          fc.constantFrom('256.1.1.1', '10.0.0.0/33', '10.0.0/24', '1::2::3', '01.2.3.4', '10.0.0.0/24/1', '2001:db8::/129', '::ffff:999.0.0.1', '10.0.0.1/-1', 'fe80::1%eth0'),
          nonEmptyText.filter((s) => !/[,\n]/.test(s) && parseCidr(s.trim()) === undefined),
          fc.tuple(fc.integer({ min: 256, max: 99999 }), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
        );
        return fc.oneof(wrongItems, fc.array(invalidIp, { minLength: 1, maxLength: 3 }).map((bad) => ['10.0.0.0/8', ...bad]));
      }
      if (input.format === 'alertId') return fc.oneof(wrongItems, fc.array(nonEmptyText.filter((s) => !/[,\n]/.test(s) && !/^[0-9a-fA-F]{24}$/.test(s.trim())), { minLength: 1, maxLength: 3 }));
      return wrongItems;
    }
    case 'json': {
      const malformed = fc.oneof(
        fc.constantFrom('{"severity": ', '{severity: {eq: 1}}', "{'a':1}", '{"a":1,}', '[', 'undefined', '{"a": NaN}'),
        nonEmptyText.filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return true;
          }
        }),
      );
      const unknownField = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => /^[a-z_]+$/i.test(k) && k !== '__proto__').map((k) => JSON.stringify({ [`zz_${k}`]: { eq: [1] } }));
      const notObject = fc.oneof(fc.integer(), fc.boolean(), fc.constant('[1,2]'), fc.constant('42'));
      return fc.oneof(malformed, unknownField, notObject, fc.constant(`{"a":"${'x'.repeat(100_001)}"}`));
    }
    case 'dateTime':
      return fc.oneof(nonEmptyText.filter((s) => !/^\d/.test(s.trim())), fc.boolean(), plainObject, fc.integer({ min: -1e12, max: -1 }), fc.constantFrom('2026-13-45T99:99:99Z', '31/01/2026', 'yesterday'));
    case 'binary':
      return fc.oneof(nonEmptyText, fc.integer(), fc.constant(new Uint8Array(0)), plainObject);
    default:
      return undefined;
  }
}

/** Runs the operation and checks the failure shape. Returns nothing; throws on a broken rule. */
async function expectRejected(opId: string, input: unknown, fieldOk: (field: string) => boolean): Promise<void> {
  const { client, transport } = newClient();
  let error: unknown;
  try {
    const outcome = await client.run(opId, input as Record<string, unknown>);
    if (outcome.kind === 'pages') for await (const page of outcome.pages) void page;
  } catch (e) {
    error = e;
  }
  if (!(error instanceof MdcaValidationError || error instanceof MdcaConfigurationError)) {
    throw new Error(`${opId} ${JSON.stringify(input, (_k, v) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v))?.slice(0, 300)}: expected a validation error, got ${error instanceof MdcaError ? `${error.code}: ${error.message}` : String(error)}`);
  }
  const field = String(error.details.field ?? '');
  if (!fieldOk(field)) throw new Error(`${opId}: error names field "${field}" (${error.message})`);
  if (transport.calls.length !== 0) throw new Error(`${opId}: ${transport.calls.length} request(s) sent despite invalid input`);
  if (error.message.length > 2_000) throw new Error(`${opId}: message of ${error.message.length} characters echoes the input`);
}

const cases: { op: OperationDefinition; input: OperationInput; bad: fc.Arbitrary<unknown> }[] = [];
for (const op of operations) {
  for (const input of op.inputs) {
    const bad = badValues(input);
    if (bad) cases.push({ op, input, bad });
  }
}

test('the registry has operations and every typed input gets a bad-value generator', () => {
  expect(operations.length).toBeGreaterThanOrEqual(20);
  expect(cases.length).toBe(operations.reduce((n, o) => n + o.inputs.length, 0));
});

test('valid baselines pass validation (so each bad value is the only fault)', async () => {
  for (const op of operations) {
    for (const input of op.inputs) {
      const { client } = newClient();
      const error = await client.run(op.id, baseline(op, input)).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error instanceof MdcaValidationError) throw new Error(`${op.id} baseline for ${input.name} fails: ${error.message}`);
    }
  }
});

describe.each(operations.map((o) => [o.id, o] as const))('%s', (_id, op) => {
  const opCases = cases.filter((c) => c.op === op);
  if (opCases.length > 0) {
    test.each(opCases.map((c) => [c.input.name, c] as const))('bad %s → validation error naming it, nothing sent', async (_name, c) => {
      await fc.assert(
        fc.asyncProperty(c.bad, async (value) => {
          const input = { ...baseline(op, c.input), [c.input.name]: value };
          await expectRejected(op.id, input, (field) => field === c.input.name || field.startsWith(`${c.input.name}.`));
        }),
        { numRuns: RUNS },
      );
    });
  }

  test('an unknown field is named and nothing is sent', async () => {
    const known = new Set(op.inputs.map((i) => i.name));
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !known.has(k) && k !== '__proto__'),
        fc.anything(),
        async (key, value) => {
          const input: Record<string, unknown> = { ...baseline(op) };
          input[key] = value;
          await expectRejected(op.id, input, (field) => field === key);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('any input object: either accepted or a typed validation error, never anything else', async () => {
    const names = op.inputs.map((i) => i.name);
    const arbitraryInput = names.length
      ? fc.record(Object.fromEntries(names.map((n) => [n, fc.oneof(fc.anything(), huge)])), { requiredKeys: [] })
      : fc.constant({});
    await fc.assert(
      fc.asyncProperty(arbitraryInput, async (input) => {
        const { client, transport } = newClient();
        let error: unknown;
        try {
          const outcome = await client.run(op.id, input as Record<string, unknown>, { maxItems: 5 });
          if (outcome.kind === 'pages') for await (const page of outcome.pages) void page;
        } catch (e) {
          error = e;
        }
        if (error === undefined) return;
        if (!(error instanceof MdcaError)) throw new Error(`${op.id}: non-Mdca error ${String(error)}`);
        if (error instanceof MdcaValidationError || error instanceof MdcaConfigurationError) {
          const field = String(error.details.field ?? '');
          if (!['input', ...names].some((n) => field === n || field.startsWith(`${n}.`))) throw new Error(`${op.id}: unexpected field "${field}"`);
          if (transport.calls.length !== 0) throw new Error(`${op.id}: sent ${transport.calls.length} request(s) before failing validation`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

test('non-object inputs and unknown operations fail with a typed error before any request', async () => {
  for (const input of [[], [1], 'text', 42, true]) {
    for (const op of operations) await expectRejected(op.id, input, (field) => field === 'input');
  }
  await fc.assert(
    fc.asyncProperty(fc.string().filter((s) => !operations.some((o) => o.id === s) && !s.includes('.')), async (id) => {
      await expectRejected(id, {}, (field) => field === 'operation');
    }),
    { numRuns: RUNS },
  );
});
