// The connection check of one service, for every host (n8n operation, Node-RED button, the
// check-tenant command): who signed in, where, with which grants, what they unlock and what stays
// locked (with the permission each needs and where to grant it), and on request every read
// operation once with a small limit (for Entra ID and Defender for Endpoint only the reads
// core/connection-check/read-policy.ts names), its latency, the budget headers the service sent and how its records' keys differ from
// the emulator's. It never writes: an operation whose access is not 'read' is refused in code.
// Everything in the report is secret-free: errors are the pipeline's redacted summaries, budget
// headers are numbers only (core/pipeline/pipeline.ts), records are reduced to key names and types.
import { describeError } from '../client';
import { MdcaValidationError } from '../errors';
import type { ClientEvent } from '../pipeline';
import { safeServiceMessage } from '../redact';
import type { AnyOperationDefinition, OperationOutcome } from '../operations/types';
import type { GrantedAccess, ServiceClient } from '../service-client';
import type { ServiceDescriptor } from '../services/descriptor';
import { compareShapes, Shape, ShapeDifference, shapeOfAll } from '../record-shape';
import { grantHint } from '../grant-hint';
import { CHECK_READ_POLICY, notRunReason } from './read-policy';
import { sampleInputs } from './sample-inputs';

/** Operation id → the shape of its records (key names and types, data-looking keys folded), for one service. */
export type ServiceKeyProfile = Record<string, Shape>;

/**
 * How a tenant's records differ from the emulator's: `missing` keys the tenant returned that the
 * emulator never does, `extra` keys only the emulator returns, `type` a type the emulator never gives.
 */
export type KeyDifferences = ShapeDifference[];

export interface ConnectionCheckOptions {
  /** Run every read operation of the service once (default: only sign in and read the grants). */
  runReads?: boolean;
  /** Records per list operation (default 3, at most 50). */
  maxItems?: number;
  /** Epoch milliseconds now (the host's clock), for latencies and the token's remaining life. */
  now: () => number;
  signal?: AbortSignal;
  /** The emulator's key profile of this service (core/connection-check/emulator-key-profile.json). */
  emulatorProfile?: ServiceKeyProfile;
  /** The credential's secret values, removed from every text of the report as a last guard. */
  secrets?: () => readonly string[];
}

export interface CheckedOperation {
  id: string;
  displayName: string;
  status: 'ok' | 'failed' | 'skipped';
  latencyMs?: number;
  /** Records returned (lists: at most maxItems). */
  records?: number;
  /** Why it was skipped, or the error's code and message. */
  reason?: string;
  errorCode?: string;
  keyDifferences?: KeyDifferences;
}

export interface ServiceCheckReport {
  service: string;
  serviceName: string;
  cloud: string;
  apiHost: string;
  signedIn: boolean;
  error?: { code: string; message: string; hint?: string };
  identity?: { kind: GrantedAccess['kind']; appId?: string; userPrincipalName?: string; tenantId?: string; tokenExpiresInMinutes?: number };
  permissions: string[];
  unlocked: { id: string; displayName: string }[];
  locked: { id: string; displayName: string; needs: string[] }[];
  /** Where to grant what the locked operations need (the API's name in the Entra portal, the kind of permission). */
  grantHint?: string;
  operations?: CheckedOperation[];
  /** Budget headers seen, by name: the last value of each. */
  budgetHeaders?: Record<string, string>;
  /** Key profile of what this tenant returned, per operation (key names and types only). */
  keyProfile?: ServiceKeyProfile;
}

type Insight = GrantedAccess & { tenantId?: string; appId?: string; userPrincipalName?: string; expiresOnMs?: number; unlocked: { id: string; displayName: string }[] };

const MAX_ITEMS_LIMIT = 50;

/** Refuses anything but a read: the check must never change a tenant. */
export function assertReadOnly(definition: AnyOperationDefinition): void {
  const steps = Object.values(definition.steps ?? {});
  if (definition.access !== 'read' || steps.some((s) => s.access !== 'read')) {
    throw new MdcaValidationError('operation', `The connection check runs read operations only; ${definition.id} is not one.`, 'This is a defect of the check: report it.');
  }
}

/** The read operations of a service: the ones the check may run. */
export function readOperations(client: ServiceClient<AnyOperationDefinition, GrantedAccess>): AnyOperationDefinition[] {
  return client.service.operations.filter((o) => o.access === 'read' && Object.values(o.steps ?? {}).every((s) => s.access === 'read'));
}

function errorOf(error: unknown, clean: (text: string) => string): { code: string; message: string; hint?: string } {
  const summary = describeError(error);
  const hint = typeof summary.hint === 'string' ? clean(summary.hint) : undefined;
  return { code: String(summary.code ?? 'ERROR'), message: clean(String(summary.message ?? 'Unexpected error')), ...(hint ? { hint } : {}) };
}

/** The records of an outcome, at most `maxItems`, for the key profile. */
async function recordsOf(outcome: OperationOutcome, maxItems: number): Promise<unknown[]> {
  switch (outcome.kind) {
    case 'pages': {
      const out: unknown[] = [];
      for await (const page of outcome.pages) {
        out.push(...page.items.slice(0, maxItems - out.length));
        if (out.length >= maxItems) break;
      }
      return out;
    }
    case 'item':
      return outcome.item === undefined || outcome.item === null ? [] : [outcome.item];
    case 'result':
      return [outcome.result];
    default:
      return [];
  }
}

/** The report of a service whose client could not even be built (no API URL, a legacy token for Graph…). */
export function notCheckedReport(service: ServiceDescriptor<AnyOperationDefinition, GrantedAccess>, cloud: string, error: { code: string; message: string; hint?: string }): ServiceCheckReport {
  return { service: service.id, serviceName: service.wording.name, cloud, apiHost: '(not reached)', signedIn: false, error, permissions: [], unlocked: [], locked: [] };
}

/** The check of one service, where building its client may fail on the settings (reported, not thrown). */
export async function checkService(
  service: ServiceDescriptor<AnyOperationDefinition, GrantedAccess>,
  cloud: string,
  build: () => ServiceClient<AnyOperationDefinition, GrantedAccess>,
  options: ConnectionCheckOptions,
): Promise<ServiceCheckReport> {
  let client: ServiceClient<AnyOperationDefinition, GrantedAccess>;
  try {
    client = build();
  } catch (error) {
    const secrets = options.secrets ?? (() => []);
    return notCheckedReport(service, cloud, errorOf(error, (text) => safeServiceMessage(text, secrets())));
  }
  return checkServiceConnection(client, options);
}

export async function checkServiceConnection(client: ServiceClient<AnyOperationDefinition, GrantedAccess>, options: ConnectionCheckOptions): Promise<ServiceCheckReport> {
  const service = client.service;
  const secrets = options.secrets ?? (() => []);
  const clean = (text: string): string => safeServiceMessage(text, secrets());
  const report: ServiceCheckReport = {
    service: service.id,
    serviceName: service.wording.name,
    cloud: client.cloud.name,
    apiHost: new URL(client.baseUrl).host,
    signedIn: false,
    permissions: [],
    unlocked: [],
    locked: [],
  };
  let insight: Insight;
  try {
    insight = (await client.insight(options.signal)) as Insight;
  } catch (error) {
    report.error = errorOf(error, clean);
    return report;
  }
  const now = options.now();
  report.signedIn = true;
  report.identity = {
    kind: insight.kind,
    ...(insight.appId ? { appId: clean(insight.appId) } : {}),
    ...(insight.userPrincipalName ? { userPrincipalName: clean(insight.userPrincipalName) } : {}),
    ...(insight.tenantId ? { tenantId: clean(insight.tenantId) } : {}),
    ...(insight.expiresOnMs ? { tokenExpiresInMinutes: Math.max(0, Math.round((insight.expiresOnMs - now) / 60_000)) } : {}),
  };
  report.permissions = [...insight.permissions];
  const unlockedIds = new Set(insight.unlocked.map((u) => u.id));
  report.unlocked = insight.unlocked.map((u) => ({ id: u.id, displayName: u.displayName }));
  const delegated = insight.kind === 'delegated';
  report.locked = service.operations
    .filter((o) => !unlockedIds.has(o.id))
    .map((o) => ({ id: o.id, displayName: o.displayName, needs: [...service.permissions.forKind(o.permissions, delegated)] }));
  // A legacy token's grants are decided by the server: nothing to grant in Entra ID.
  if (report.locked.length > 0 && insight.kind !== 'legacy') {
    report.grantHint = grantHint(service.permissions, delegated, [...new Set(report.locked.map((l) => l.needs[0]).filter((p): p is string => Boolean(p)))]);
  }
  if (!options.runReads) return report;
  await runReads(client, options, report, unlockedIds, clean);
  return report;
}

/** The key profile of a read's records, and how it differs from the emulator's (if given). */
function profileRecords(report: ServiceCheckReport, checked: CheckedOperation, records: unknown[], emulator: Shape | undefined): void {
  const profile = shapeOfAll(records, { foldDataKeys: true });
  (report.keyProfile ??= {})[checked.id] = profile;
  if (!emulator) return;
  // A few sampled records against every type the emulator gives: a subset is no difference.
  const differences = compareShapes(profile, emulator, { typesWithin: true });
  if (differences.length) checked.keyDifferences = differences;
}

async function runReads(
  client: ServiceClient<AnyOperationDefinition, GrantedAccess>,
  options: ConnectionCheckOptions,
  report: ServiceCheckReport,
  unlockedIds: ReadonlySet<string>,
  clean: (text: string) => string,
): Promise<void> {
  const policy = CHECK_READ_POLICY[client.service.id];
  const maxItems = Math.min(Math.max(1, Math.floor(options.maxItems ?? 3)), MAX_ITEMS_LIMIT, policy?.maxItems ?? MAX_ITEMS_LIMIT);
  const seen = new Map<string, unknown[]>();
  const budget: Record<string, string> = {};
  const onEvent = (event: ClientEvent): void => {
    if (event.type === 'budget') Object.assign(budget, event.headers);
  };
  report.operations = [];
  report.keyProfile = {};
  for (const definition of readOperations(client)) {
    assertReadOnly(definition);
    const checked: CheckedOperation = { id: definition.id, displayName: definition.displayName, status: 'skipped' };
    report.operations.push(checked);
    const notRun = notRunReason(client.service.id, definition.id);
    if (notRun) {
      checked.reason = notRun;
      continue;
    }
    if (!unlockedIds.has(definition.id)) {
      checked.reason = `locked: needs ${report.locked.find((l) => l.id === definition.id)?.needs.join(' or ') ?? 'a permission'}`;
      continue;
    }
    const sample = sampleInputs(client.service.id, definition, seen);
    if (!sample.ok) {
      checked.reason = sample.reason;
      continue;
    }
    const started = options.now();
    try {
      const outcome = await client.run(definition.id, { ...sample.input, ...policy?.input }, { signal: options.signal, maxItems, onEvent });
      const records = await recordsOf(outcome, maxItems);
      checked.latencyMs = Math.round(options.now() - started);
      checked.status = 'ok';
      checked.records = records.length;
      seen.set(definition.id, records);
      if (records.length > 0) profileRecords(report, checked, records, options.emulatorProfile?.[definition.id]);
    } catch (error) {
      checked.latencyMs = Math.round(options.now() - started);
      checked.status = 'failed';
      const summary = errorOf(error, clean);
      checked.errorCode = summary.code;
      checked.reason = summary.message;
    }
  }
  report.budgetHeaders = budget;
}
