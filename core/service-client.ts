// The one client for every service: it validates inputs, checks the token's grants before
// sending, and runs the service's declared operations through the HTTP pipeline. What differs
// between services is data in their descriptor (core/services/).
import type { Clock, HttpTransport, Logger, PacingPort, Sleep, TokenProvider } from './ports';
import { noopLogger } from './ports';
import type { CloudDefinition, TestingEndpoints } from './clouds';
import { MdcaConfigurationError, MdcaPermissionError, MdcaValidationError } from './errors';
import { CallContext, ClientEvent, HttpPipeline, newRequestId } from './pipeline';
import type { AnyOperationDefinition, OperationExecution, OperationImplementation, OperationOutcome, Page, StoragePort } from './operations/types';
import { executeOperation } from './operations/executor';
import { outcomePages } from './paging';
import { resolveRetryOptions, RetryOptions } from './retry';
import { safeServiceMessage } from './redact';
import { validateInputs } from './validation';
import { keyedPacer } from './pacing';
import { noStorage, storageUploader } from './storage-upload';
import type { ServiceDescriptor } from './services/descriptor';
import { actorOf } from './response/actor';
import { grantHint } from './grant-hint';

export interface ServiceClientConfig {
  cloud: CloudDefinition;
  /** What the user typed; the descriptor validates it (MDCA: required; XDR: empty for the cloud's host). */
  apiUrl?: string;
  transport: HttpTransport;
  tokenProvider: TokenProvider;
  clock: Clock;
  sleep: Sleep;
  pacer: PacingPort;
  /** Pacing key where the API host is shared by every tenant, e.g. "xdr:<tenant id>". */
  budgetKey?: string;
  logger?: Logger;
  random?: () => number;
  retry?: RetryOptions;
  /** Per-attempt timeout. Default 30 s: a stalled connection is retried instead of hanging. */
  timeoutMs?: number;
  /** Per-attempt timeout of the service's long calls (advanced hunting). */
  longTimeoutMs?: number;
  /** Largest accepted response. Default: the service's. */
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

/** An operation of a credential's token unlocks, for the credential test. */
export interface UnlockedOperation {
  id: string;
  displayName: string;
  resource: string;
}

/** What every service's token insight says: the kind of token and the grants found in it. */
export interface GrantedAccess {
  kind: 'application' | 'delegated' | 'legacy';
  permissions: readonly string[];
}

export class ServiceClient<D extends AnyOperationDefinition = AnyOperationDefinition, I extends GrantedAccess = GrantedAccess> {
  readonly baseUrl: string;
  /** The pacing key of a shared API host; undefined where the tenant's own host is the key. */
  readonly budgetKey?: string;
  private readonly pipeline: HttpPipeline;
  private readonly longPipeline: HttpPipeline;
  private readonly storage: StoragePort;
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(
    readonly service: ServiceDescriptor<D, I>,
    private readonly config: ServiceClientConfig,
  ) {
    this.baseUrl = service.baseUrl(config.apiUrl, config.cloud, config.testing);
    this.logger = config.logger ?? noopLogger;
    this.random = config.random ?? Math.random;
    this.budgetKey = config.budgetKey ?? service.defaultBudgetKey?.(this.baseUrl);
    const common = {
      baseUrl: this.baseUrl,
      transport: config.transport,
      tokenProvider: config.tokenProvider,
      clock: config.clock,
      sleep: config.sleep,
      logger: this.logger,
      pacer: this.budgetKey ? keyedPacer(config.pacer, this.budgetKey) : config.pacer,
      retry: resolveRetryOptions(config.retry),
      random: this.random,
      maxResponseBytes: config.maxResponseBytes ?? service.pipeline.maxResponseBytes,
      knownSecrets: config.knownSecrets ?? (() => []),
      wording: service.wording,
      headers: service.pipeline.headers,
    };
    const deadlineMs = config.operationDeadlineMs ?? 5 * 60_000;
    this.pipeline = new HttpPipeline({ ...common, timeoutMs: config.timeoutMs ?? 30_000, operationDeadlineMs: deadlineMs });
    const long = service.pipeline;
    this.longPipeline = long.longTimeoutMs
      ? new HttpPipeline({
          ...common,
          timeoutMs: config.longTimeoutMs ?? long.longTimeoutMs,
          operationDeadlineMs: Math.max(config.operationDeadlineMs ?? 0, long.longDeadlineMs ?? deadlineMs),
        })
      : this.pipeline;
    this.storage = service.uploadHostSuffixes
      ? storageUploader({
          serviceName: service.wording.name,
          hostSuffixes: service.uploadHostSuffixes,
          transport: config.transport,
          sleep: config.sleep,
          random: this.random,
          retry: config.retry,
          timeoutMs: config.timeoutMs,
          testing: config.testing,
        })
      : noStorage(service.wording.name);
  }

  /** The cloud this client signs in to and calls. */
  get cloud(): CloudDefinition {
    return this.config.cloud;
  }

  get tenantKey(): string {
    return this.pipeline.tenantKey;
  }

  /** Runs one registered operation. List operations return pages lazily (an async iterable). */
  async run(operationId: string, input: Record<string, unknown>, options: RunOptions = {}): Promise<OperationOutcome> {
    const impl = this.service.findOperation(operationId);
    if (!impl) {
      throw new MdcaValidationError(
        'operation',
        `Unknown ${this.service.wording.name} operation "${String(operationId).slice(0, 60)}".`,
        `Known operations: ${this.service.operations.map((o) => o.id).join(', ')}.`,
      );
    }
    return this.execute(impl, input, options);
  }

  /** Runs a declared operation, registered or not (a declaration is all an operation needs). */
  async execute(impl: OperationImplementation<D>, input: Record<string, unknown>, options: RunOptions = {}): Promise<OperationOutcome> {
    const values = validateInputs(impl.definition, input ?? {});
    const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000_000) {
      throw new MdcaValidationError('maxItems', '"Max Items" must be a whole number from 1 to 10,000,000.', 'Set a limit, e.g. 100.');
    }
    const ctx: CallContext = { signal: options.signal, onEvent: options.onEvent, requestId: newRequestId(this.random) };
    if (!options.skipPermissionCheck) await this.checkPermission(impl.definition, ctx);
    return executeOperation(impl, this.execution(ctx, maxItems), values);
  }

  /** Pages of a list operation (single-page results are wrapped as one page). */
  async *pages(operationId: string, input: Record<string, unknown>, options: RunOptions = {}): AsyncGenerator<Page> {
    yield* outcomePages(await this.run(operationId, input, options), operationId);
  }

  /** What the current token can do, read from its claims without verifying them. */
  async insight(signal?: AbortSignal): Promise<I & { unlocked: UnlockedOperation[] }> {
    const insight = this.service.insight(await this.config.tokenProvider.getToken({ signal }));
    return { ...insight, unlocked: unlockedOperations(this.service.operations, insight) };
  }

  private execution(ctx: CallContext, maxItems: number): OperationExecution {
    return {
      pipeline: this.pipeline,
      longPipeline: this.longPipeline,
      ctx,
      now: () => this.config.clock.now(),
      sleep: this.config.sleep,
      actor: async () => actorOf(await this.config.tokenProvider.getToken({ signal: ctx.signal })),
      maxItems,
      storage: this.storage,
      warn: (message) => this.logger.warn(safeServiceMessage(message, this.pipeline.secrets())),
      uploadSinglePutLimitBytes: this.config.uploadSinglePutLimitBytes,
    };
  }

  /** Names the missing permission before anything is sent; the server has the last word. */
  private async checkPermission(definition: D, ctx: CallContext): Promise<void> {
    const model = this.service.permissions;
    if (definition.permissions.length === 0 && !model.refuse) return;
    const token = await this.config.tokenProvider.getToken({ signal: ctx.signal });
    const granted = token.scheme === 'Bearer' ? model.read(token.token) : undefined;
    const refused = model.refuse?.(token, granted?.audience);
    if (refused) throw new MdcaConfigurationError('authentication', refused.message, refused.hint);
    // A legacy token carries its creator's rights and an opaque one says nothing: the server decides.
    if (!granted || definition.permissions.length === 0 || definition.permissions.some((p) => granted.permissions.includes(p))) return;
    const delegated = granted.kind === 'delegated';
    const wanted = model.forKind(definition.permissions, delegated);
    const name = this.service.wording.name;
    throw new MdcaPermissionError(
      `Missing permission for ${definition.displayName} (${definition.id}): the token has ${granted.permissions.join(', ') || `no ${name} permissions`}; it needs ${wanted.join(' or ')}. Nothing was sent.`,
      grantHint(model, delegated, wanted.slice(0, 1)),
      { operation: definition.id, permissions: [...wanted], requestId: ctx.requestId },
    );
  }
}

/** Operations a token's grants unlock; a legacy token's are decided by the server (all listed). */
export function unlockedOperations(operations: readonly AnyOperationDefinition[], access: GrantedAccess): UnlockedOperation[] {
  return operations
    .filter((o) => access.kind === 'legacy' || o.permissions.length === 0 || o.permissions.some((p) => access.permissions.includes(p)))
    .map((o) => ({ id: o.id, displayName: o.displayName, resource: o.resource }));
}
