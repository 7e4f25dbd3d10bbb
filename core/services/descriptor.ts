// What the core needs to know about one Microsoft API to call it: its name in messages, where it
// lives in each cloud, what a token for it must carry, its budget and its operations. One
// ServiceClient (core/service-client.ts) runs any service described this way; a new service is a
// descriptor and a registry, not a new client.
import type { CloudDefinition, TestingEndpoints } from '../clouds';
import type { AccessToken } from '../ports';
import type { AnyOperationDefinition, OperationImplementation } from '../operations/types';
import type { ServiceWording } from '../pipeline/wording';

/** How a service reads a token's grants, and what it says when one is missing. */
export interface PermissionModel<P extends string = string> {
  /** The API's name under Entra ID > API permissions > "APIs my organization uses". */
  consentApiName: string;
  /** The portal role a signed-in user also needs, in "the matching … role". */
  userRoleName: string;
  /** The service's grants in a token (roles for apps, scp for users); undefined for an opaque token. */
  read(accessToken: string): { kind: 'application' | 'delegated' | 'legacy'; permissions: P[]; audience?: string } | undefined;
  /** Of the permissions that unlock an operation, those a token of this kind can hold. */
  forKind(permissions: readonly P[], delegated: boolean): readonly P[];
  /**
   * A token this service refuses before sending (a legacy MDCA token for XDR; one issued for
   * another API): the error's message and hint, or undefined to let it through.
   */
  refuse?(token: AccessToken, audience: string | undefined): { message: string; hint: string } | undefined;
}

/** Per-process defaults of one service's pipelines. */
export interface PipelineDefaults {
  maxResponseBytes: number;
  /** Per-attempt timeout of calls declared `long` (advanced hunting); none: they use the default. */
  longTimeoutMs?: number;
  /** Deadline of a long call including waits. */
  longDeadlineMs?: number;
  /** Headers sent with every request of the service (Graph: Prefer: include-unknown-enum-members). */
  headers?: Readonly<Record<string, string>>;
}

export interface ServiceDescriptor<D extends AnyOperationDefinition = AnyOperationDefinition, I = unknown> {
  /** Short id used in budget keys: "mdca", "xdr". */
  id: string;
  wording: ServiceWording;
  /** The API origin for a cloud and what the user typed, validated before any I/O. */
  baseUrl(apiUrl: string | undefined, cloud: CloudDefinition, testing?: TestingEndpoints): string;
  /** The resource tokens are asked for (`<resource>/.default` for apps). */
  tokenResource: string;
  /**
   * Where a cloud's API root is also its token resource (Graph: graph.microsoft.us, dod-graph…):
   * the resource for this validated base URL. None: `tokenResource` everywhere.
   */
  tokenResourceFor?(baseUrl: string, cloud: CloudDefinition): string;
  /**
   * The pacing key when the API host is shared by every tenant (XDR): the client keys its budget
   * by tenant instead. Undefined: the tenant's own API host is the key (MDCA).
   */
  defaultBudgetKey?(baseUrl: string): string;
  permissions: PermissionModel<D['permissions'][number]>;
  /** What the current token can do, for the credential test (never trusted, only shown). */
  insight(token: AccessToken): I;
  operations: readonly D[];
  findOperation(id: string): OperationImplementation<D> | undefined;
  pipeline: PipelineDefaults;
  /**
   * The default pacing budget per tenant, below the documented limits so that other integrations
   * of the tenant keep some room: requests per rolling minute, and per rolling hour where the
   * service also caps that.
   */
  budget: { perMinute: number; perHour?: number };
  /** Hosts an upload URL the service hands out may point at; none: the service takes no uploads. */
  uploadHostSuffixes?: readonly string[];
}
