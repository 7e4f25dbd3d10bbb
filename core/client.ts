// The MDCA client both hosts use: the one ServiceClient (core/service-client.ts) bound to the
// MDCA descriptor (core/services/mdca.ts).
import { MdcaError } from './errors';
import { operations } from './operations';
import type { OperationDefinition } from './operations/types';
import type { TokenInsight } from './permissions';
import { safeServiceMessage } from './redact';
import { ServiceClient, ServiceClientConfig, unlockedOperations as unlockedOf, UnlockedOperation } from './service-client';
import { MDCA_SERVICE } from './services/mdca';

export { DEFAULT_MAX_ITEMS } from './service-client';
export type { RunOptions } from './service-client';

export interface MdcaClientConfig extends ServiceClientConfig {
  /** The tenant API URL as the user typed it; validated against the cloud's hosts. */
  apiUrl: string;
}

export interface CredentialInsight extends TokenInsight {
  unlocked: UnlockedOperation[];
}

export class MdcaClient extends ServiceClient<OperationDefinition, TokenInsight> {
  constructor(config: MdcaClientConfig) {
    super(MDCA_SERVICE, config);
  }
}

/** Operations a set of permissions unlocks; legacy tokens are decided by the server. */
export function unlockedOperations(insight: Pick<TokenInsight, 'kind' | 'permissions'>): UnlockedOperation[] {
  return unlockedOf(operations, insight);
}

/** A secret-free view of any thrown value, for hosts' messages and logs. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof MdcaError) return { ...error.toSummary() };
  return { name: 'Error', code: 'UNEXPECTED', message: safeServiceMessage(error instanceof Error ? error.message : String(error)) };
}
