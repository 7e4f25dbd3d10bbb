// The Defender XDR client: same ports, pipeline and error types as MdcaClient, with the XDR
// service descriptor: base URL per cloud (clouds[cloud].xdrApiHost) or a testing host, tokens
// for https://api.security.microsoft.com, XDR permission preflight, per-tenant XDR pacing.
import type { Clock, HttpTransport, Logger, PacingPort, Sleep, TokenProvider } from '../ports';
import { noopLogger } from '../ports';
import { CloudDefinition, clouds, TestingEndpoints, XDR_RESOURCE } from '../clouds';
import { MdcaConfigurationError, MdcaPermissionError, MdcaValidationError } from '../errors';
import { CallContext, HttpPipeline, newRequestId, XDR_WORDING } from '../pipeline';
import type { OperationOutcome, Page } from '../operations/types';
import { executeOperation } from '../operations/executor';
import { resolveRetryOptions, RetryOptions } from '../retry';
import { safeServiceMessage } from '../redact';
import { validateInputs } from '../validation';
import { outcomePages } from '../paging';
import { DEFAULT_MAX_ITEMS, RunOptions } from '../client';
import { hasAnyXdrPermission, readXdrTokenInsight, XdrPermissionName, XdrTokenInsight } from './permissions';
import { keyedPacer } from './pacing';
import { findXdrOperation, xdrOperations } from './registry';
import type { XdrOperationDefinition, XdrOperationImplementation } from './types';

export interface XdrClientConfig {
  cloud: CloudDefinition;
  /** Leave empty for the cloud's XDR host; another URL is accepted only from `testing.allowHosts`. */
  apiUrl?: string;
  transport: HttpTransport;
  /** Must issue tokens for https://api.security.microsoft.com. */
  tokenProvider: TokenProvider;
  clock: Clock;
  sleep: Sleep;
  /** An XdrPacer (or any PacingPort); it is keyed by `budgetKey`. */
  pacer: PacingPort;
  /** Pacing key: one budget per tenant, e.g. "xdr:<tenant id>". Default "xdr:<host>". */
  budgetKey?: string;
  logger?: Logger;
  random?: () => number;
  retry?: RetryOptions;
  /** Per-attempt timeout for incident calls. Default 30 s. */
  timeoutMs?: number;
  /** Per-attempt timeout for hunting queries. Default 200 s (the service stops queries at 3 minutes). */
  huntingTimeoutMs?: number;
  maxResponseBytes?: number;
  operationDeadlineMs?: number;
  testing?: TestingEndpoints;
  knownSecrets?: () => readonly string[];
}

const XDR_HOSTS = new Set(Object.values(clouds).map((c) => new URL(c.xdrApiHost).host));

/** The XDR API origin for a cloud, or a validated override (testing hosts only). */
export function validateXdrBaseUrl(raw: string | undefined, cloud: CloudDefinition, testing?: TestingEndpoints, field = 'xdrApiUrl'): string {
  const text = (raw ?? '').trim();
  if (!text) return cloud.xdrApiHost;
  const hint = `Leave it empty to use ${cloud.xdrApiHost} (the Defender XDR API of the ${cloud.label} cloud).`;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new MdcaConfigurationError(field, `The Defender XDR API URL "${text.slice(0, 200)}" is not a valid URL.`, hint);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash || (path !== '' && path !== '/api')) {
    throw new MdcaConfigurationError(field, 'The Defender XDR API URL must be a plain https origin.', hint);
  }
  const hostPort = url.port ? `${url.hostname.toLowerCase()}:${url.port}` : url.hostname.toLowerCase();
  if (testing?.allowHosts.some((h) => h.toLowerCase() === hostPort)) return `https://${hostPort}`;
  if (hostPort === new URL(cloud.xdrApiHost).host) return cloud.xdrApiHost;
  if (XDR_HOSTS.has(hostPort)) throw new MdcaConfigurationError(field, `${hostPort} is the Defender XDR API of another cloud than ${cloud.label}.`, hint);
  throw new MdcaConfigurationError(field, `"${hostPort.slice(0, 200)}" is not a Defender XDR API host.`, hint);
}

export interface XdrCredentialInsight extends XdrTokenInsight {
  unlocked: { id: string; displayName: string; resource: string }[];
}

export class XdrClient {
  readonly baseUrl: string;
  readonly budgetKey: string;
  private readonly pipeline: HttpPipeline;
  private readonly huntingPipeline: HttpPipeline;
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(private readonly config: XdrClientConfig) {
    this.baseUrl = validateXdrBaseUrl(config.apiUrl, config.cloud, config.testing);
    this.logger = config.logger ?? noopLogger;
    this.random = config.random ?? Math.random;
    this.budgetKey = config.budgetKey ?? `xdr:${new URL(this.baseUrl).host}`;
    const common = {
      baseUrl: this.baseUrl,
      transport: config.transport,
      tokenProvider: config.tokenProvider,
      clock: config.clock,
      sleep: config.sleep,
      logger: this.logger,
      pacer: keyedPacer(config.pacer, this.budgetKey),
      retry: resolveRetryOptions(config.retry),
      random: this.random,
      maxResponseBytes: config.maxResponseBytes ?? 50 * 1024 * 1024,
      knownSecrets: config.knownSecrets ?? (() => []),
      wording: XDR_WORDING,
    };
    this.pipeline = new HttpPipeline({ ...common, timeoutMs: config.timeoutMs ?? 30_000, operationDeadlineMs: config.operationDeadlineMs ?? 5 * 60_000 });
    this.huntingPipeline = new HttpPipeline({
      ...common,
      timeoutMs: config.huntingTimeoutMs ?? 200_000,
      operationDeadlineMs: Math.max(config.operationDeadlineMs ?? 0, 10 * 60_000),
    });
  }

  /** Runs one XDR operation ("incident.getAll", "incident.get", "incident.update", "advancedHunting.run"). */
  async run(operationId: string, input: Record<string, unknown>, options: RunOptions = {}): Promise<OperationOutcome> {
    const impl = findXdrOperation(operationId);
    if (!impl) {
      throw new MdcaValidationError('operation', `Unknown Defender XDR operation "${String(operationId).slice(0, 60)}".`, `Known operations: ${xdrOperations.map((o) => o.id).join(', ')}.`);
    }
    return this.execute(impl, input, options);
  }

  /** Runs a declared XDR operation, registered or not. */
  async execute(impl: XdrOperationImplementation, input: Record<string, unknown>, options: RunOptions = {}): Promise<OperationOutcome> {
    const definition = impl.definition;
    const values = validateInputs(definition, input ?? {});
    const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000_000) {
      throw new MdcaValidationError('maxItems', '"Max Items" must be a whole number from 1 to 10,000,000.', 'Set a limit, e.g. 100.');
    }
    const ctx: CallContext = { signal: options.signal, onEvent: options.onEvent, requestId: newRequestId(this.random) };
    if (!options.skipPermissionCheck) await this.checkPermission(definition, ctx);
    return executeOperation(
      impl,
      {
        pipeline: this.pipeline,
        longPipeline: this.huntingPipeline,
        ctx,
        maxItems,
        storage: { put: () => Promise.reject(new MdcaConfigurationError('storage', 'Defender XDR operations do not upload files.', 'This is a bug.')) },
        warn: (message) => this.logger.warn(safeServiceMessage(message, this.pipeline.secrets())),
      },
      values,
    );
  }

  /** Pages of a list operation (single items are wrapped as one page). */
  async *pages(operationId: string, input: Record<string, unknown>, options: RunOptions = {}): AsyncGenerator<Page> {
    yield* outcomePages(await this.run(operationId, input, options), operationId);
  }

  /** What the current XDR token can do, read from its claims without verifying them. */
  async insight(signal?: AbortSignal): Promise<XdrCredentialInsight> {
    const token = await this.config.tokenProvider.getToken({ signal });
    const insight = token.scheme === 'Bearer' ? readXdrTokenInsight(token.token) : undefined;
    const base: XdrTokenInsight = insight ?? { service: 'xdr', kind: 'application', permissions: [], otherClaims: [], verified: false, expiresOnMs: token.expiresOnMs };
    return { ...base, unlocked: unlockedXdrOperations(base.permissions) };
  }

  private async checkPermission(definition: XdrOperationDefinition, ctx: CallContext): Promise<void> {
    const token = await this.config.tokenProvider.getToken({ signal: ctx.signal });
    if (token.scheme !== 'Bearer') {
      throw new MdcaConfigurationError('authentication', 'A legacy MDCA API token cannot call the Defender XDR API.', 'Use an Entra app (client secret or certificate) or a user sign-in with the "Microsoft Threat Protection" permissions.');
    }
    const insight = readXdrTokenInsight(token.token);
    if (!insight) return; // opaque token: the server decides
    if (insight.audience && !sameResource(insight.audience)) {
      throw new MdcaConfigurationError('authentication', `The token is for "${safeServiceMessage(insight.audience).slice(0, 100)}", not for the Defender XDR API (${XDR_RESOURCE}). Nothing was sent.`, `Ask Entra ID for scope ${XDR_RESOURCE}/.default (app) or ${XDR_RESOURCE}/Incident.ReadWrite (user).`);
    }
    if (hasAnyXdrPermission(insight.permissions, definition.permissions)) return;
    const delegated = insight.kind === 'delegated';
    const wanted = definition.permissions.filter((p) => p.endsWith('.All') !== delegated);
    throw new MdcaPermissionError(
      `Missing permission for ${definition.displayName} (${definition.id}): the token has ${insight.permissions.join(', ') || 'no Defender XDR permissions'}; it needs ${wanted.join(' or ')}. Nothing was sent.`,
      `In Entra ID > App registrations > your app > API permissions > Add a permission > APIs my organization uses > "Microsoft Threat Protection", add the ${delegated ? 'Delegated' : 'Application'} permission ${wanted[0]}, then grant admin consent.${delegated ? ' The signed-in user also needs the matching Defender role.' : ''}`,
      { operation: definition.id, permissions: [...wanted], requestId: ctx.requestId },
    );
  }
}

function sameResource(audience: string): boolean {
  const a = audience.replace(/\/+$/, '').toLowerCase();
  return a === XDR_RESOURCE || a === 'https://api.securitycenter.microsoft.com' || a.endsWith('.security.microsoft.us');
}

/** Operations a set of XDR permissions unlocks. */
export function unlockedXdrOperations(permissions: readonly XdrPermissionName[]): XdrCredentialInsight['unlocked'] {
  return xdrOperations.filter((o) => hasAnyXdrPermission(permissions, o.permissions)).map((o) => ({ id: o.id, displayName: o.displayName, resource: o.resource }));
}
