// The MDCA client both hosts use: validates inputs, checks the token's permissions before
// sending, and runs registry operations through the pipeline.
import type { Clock, HttpTransport, Logger, PacingPort, Sleep, TokenProvider } from './ports';
import { isTransportFailure, noopLogger } from './ports';
import type { CloudDefinition, TestingEndpoints } from './clouds';
import { validateApiBaseUrl } from './clouds';
import {
  MdcaCancelledError,
  MdcaConfigurationError,
  MdcaError,
  MdcaNetworkError,
  MdcaPermissionError,
  MdcaServerError,
  MdcaValidationError,
} from './errors';
import { CallContext, ClientEvent, HttpPipeline, MDCA_WORDING, newRequestId } from './pipeline';
import { findOperation, operations, OperationDefinition, OperationImplementation, OperationOutcome, Page, StoragePort } from './operations';
import { executeOperation } from './operations/executor';
import { outcomePages } from './paging';
import { hasAnyPermission, PermissionName, readTokenInsight, TokenInsight } from './permissions';
import { resolveRetryOptions, RetryOptions } from './retry';
import { retryTransient } from './pipeline/transient-strategy';
import { redactValue, safeServiceMessage } from './redact';
import { validateInputs } from './validation';

export interface MdcaClientConfig {
  cloud: CloudDefinition;
  /** The tenant API URL as the user typed it; validated against the cloud's hosts. */
  apiUrl: string;
  transport: HttpTransport;
  tokenProvider: TokenProvider;
  clock: Clock;
  sleep: Sleep;
  pacer: PacingPort;
  logger?: Logger;
  random?: () => number;
  retry?: RetryOptions;
  /** Per-attempt timeout. Default 30 s: a stalled connection is retried instead of hanging. */
  timeoutMs?: number;
  /** Largest accepted response. Default 25 MB. */
  maxResponseBytes?: number;
  /** Deadline of one operation including waits. Default 5 minutes. */
  operationDeadlineMs?: number;
  /** Upload size from which Azure uploads go in blocks (default 64 MB). */
  uploadSinglePutLimitBytes?: number;
  testing?: TestingEndpoints;
  /** Secret values of the credential, so they can be scrubbed from anything shown. */
  knownSecrets?: () => readonly string[];
}

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (event: ClientEvent) => void;
  /** Upper bound on list items. Default 10 000: "return all" stays bounded unless raised. */
  maxItems?: number;
  /** Skip the permission check (the credential test uses it to show what a token can do). */
  skipPermissionCheck?: boolean;
}

export const DEFAULT_MAX_ITEMS = 10_000;
const STORAGE_HOST_SUFFIXES = ['.blob.core.windows.net', '.blob.core.usgovcloudapi.net', '.amazonaws.com'];

export class MdcaClient {
  readonly baseUrl: string;
  private readonly pipeline: HttpPipeline;
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(private readonly config: MdcaClientConfig) {
    this.baseUrl = validateApiBaseUrl(config.apiUrl, config.cloud, config.testing);
    this.logger = config.logger ?? noopLogger;
    this.random = config.random ?? Math.random;
    this.pipeline = new HttpPipeline({
      baseUrl: this.baseUrl,
      transport: config.transport,
      tokenProvider: config.tokenProvider,
      clock: config.clock,
      sleep: config.sleep,
      logger: this.logger,
      pacer: config.pacer,
      retry: resolveRetryOptions(config.retry),
      random: this.random,
      timeoutMs: config.timeoutMs ?? 30_000,
      maxResponseBytes: config.maxResponseBytes ?? 25 * 1024 * 1024,
      operationDeadlineMs: config.operationDeadlineMs ?? 5 * 60_000,
      knownSecrets: config.knownSecrets ?? (() => []),
      wording: MDCA_WORDING,
    });
  }

  get tenantKey(): string {
    return this.pipeline.tenantKey;
  }

  /** Runs one registry operation. List operations return pages lazily (an async iterable). */
  async run(operationId: string, input: Record<string, unknown>, options: RunOptions = {}): Promise<OperationOutcome> {
    const impl = findOperation(operationId);
    if (!impl) {
      throw new MdcaValidationError('operation', `Unknown operation "${String(operationId).slice(0, 60)}".`, `Known operations: ${operations.map((o) => o.id).join(', ')}.`);
    }
    return this.execute(impl, input, options);
  }

  /** Runs a declared operation, registered or not (a declaration is all an operation needs). */
  async execute(impl: OperationImplementation, input: Record<string, unknown>, options: RunOptions = {}): Promise<OperationOutcome> {
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
        ctx,
        maxItems,
        storage: this.storage(),
        warn: (message) => this.logger.warn(safeServiceMessage(message, this.pipeline.secrets())),
        uploadSinglePutLimitBytes: this.config.uploadSinglePutLimitBytes,
      },
      values,
    );
  }

  /** Pages of a list operation (single-page results are wrapped as one page). */
  async *pages(operationId: string, input: Record<string, unknown>, options: RunOptions = {}): AsyncGenerator<Page> {
    yield* outcomePages(await this.run(operationId, input, options), operationId);
  }

  /** What the current token can do, read from its claims without verifying them. */
  async insight(signal?: AbortSignal): Promise<CredentialInsight> {
    const token = await this.config.tokenProvider.getToken({ signal });
    const claims = token.scheme === 'Bearer' ? readTokenInsight(token.token) : undefined;
    const insight: TokenInsight = claims ?? { kind: 'legacy', permissions: [], otherClaims: [], verified: false, expiresOnMs: token.expiresOnMs };
    return { ...insight, unlocked: unlockedOperations(insight) };
  }

  private async checkPermission(definition: OperationDefinition, ctx: CallContext): Promise<void> {
    if (definition.permissions.length === 0) return;
    const token = await this.config.tokenProvider.getToken({ signal: ctx.signal });
    if (token.scheme !== 'Bearer') return; // legacy tokens carry their creator's rights; the server decides
    const insight = readTokenInsight(token.token);
    if (!insight || hasAnyPermission(insight.permissions, definition.permissions)) return;
    const kind = insight.kind === 'delegated' ? 'Delegated' : 'Application';
    throw new MdcaPermissionError(
      `Missing permission for ${definition.displayName} (${definition.id}): the token has ${insight.permissions.join(', ') || 'no MDCA permissions'}; it needs ${definition.permissions.join(' or ')}. Nothing was sent.`,
      `In Entra ID > App registrations > your app > API permissions > Add a permission > APIs my organization uses > "Microsoft Cloud App Security", add the ${kind} permission ${definition.permissions[0]}, then grant admin consent.${insight.kind === 'delegated' ? ' The signed-in user also needs the matching MDCA role.' : ''}`,
      { operation: definition.id, permissions: [...definition.permissions], requestId: ctx.requestId },
    );
  }

  private storage(): StoragePort {
    return {
      put: (url, body, headers, ctx) => this.putToStorage(url, body, headers, ctx),
    };
  }

  /** PUT to the storage URL MDCA returned: no MDCA credential, host checked, retried (PUT is idempotent). */
  private async putToStorage(url: string, body: Uint8Array, headers: Record<string, string>, ctx: CallContext): Promise<number> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new MdcaConfigurationError('uploadUrl', 'MDCA returned an invalid upload URL.', 'Retry the upload.');
    }
    const hostPort = parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
    const allowed =
      parsed.protocol === 'https:' &&
      !parsed.username &&
      (STORAGE_HOST_SUFFIXES.some((s) => parsed.hostname.endsWith(s)) || (this.config.testing?.allowHosts ?? []).includes(hostPort));
    if (!allowed) {
      throw new MdcaConfigurationError('uploadUrl', `MDCA returned an upload URL on an unexpected host (${parsed.hostname.slice(0, 100)}); nothing was uploaded.`, 'Only Azure Blob Storage and Amazon S3 upload URLs are accepted.');
    }
    const outcome = await retryTransient(
      async () => {
        try {
          const response = await this.config.transport.send({
            method: 'PUT',
            url,
            headers: { 'content-type': 'application/octet-stream', ...headers, 'x-ms-version': '2020-10-02' },
            body,
            timeoutMs: Math.max(this.config.timeoutMs ?? 30_000, 120_000),
            maxResponseBytes: 1024 * 1024,
            signal: ctx.signal,
          });
          return { ok: response.status >= 200 && response.status < 300, status: response.status };
        } catch (raw) {
          const code = isTransportFailure(raw) ? raw.code : 'UNKNOWN';
          if (code === 'ABORTED') throw new MdcaCancelledError();
          return { status: 0, code };
        }
      },
      { retry: resolveRetryOptions(this.config.retry), random: this.random, sleep: this.config.sleep, signal: ctx.signal, cancelled: () => new MdcaCancelledError() },
    );
    const status = outcome.status ?? 0;
    if (outcome.ok) return status;
    if (outcome.code) throw new MdcaNetworkError(`The log upload to storage failed (${outcome.code}).`, 'Retry the upload; check outbound access to the storage host.', { operation: 'discovery.uploadLog' });
    throw new MdcaServerError(`Storage refused the log upload (${status}).`, 'Retry the upload.', { operation: 'discovery.uploadLog', status });
  }
}

export interface CredentialInsight extends TokenInsight {
  unlocked: { id: string; displayName: string; resource: string }[];
}

/** Operations a set of permissions unlocks; legacy tokens are decided by the server. */
export function unlockedOperations(insight: Pick<TokenInsight, 'kind' | 'permissions'>): CredentialInsight['unlocked'] {
  return operations
    .filter((o) => insight.kind === 'legacy' || hasAnyPermission(insight.permissions, o.permissions as PermissionName[]))
    .map((o) => ({ id: o.id, displayName: o.displayName, resource: o.resource }));
}

/** A secret-free view of any thrown value, for hosts' messages and logs. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof MdcaError) return error.toSummary() as unknown as Record<string, unknown>;
  return { name: 'Error', code: 'UNEXPECTED', message: safeServiceMessage(error instanceof Error ? error.message : String(error)) };
}


