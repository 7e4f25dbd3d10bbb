// The Defender XDR client: the one ServiceClient (core/service-client.ts) bound to the XDR
// descriptor (core/services/xdr.ts): base URL per cloud or a testing host, tokens for
// https://api.security.microsoft.com, XDR permission preflight, per-tenant XDR pacing.
import { ServiceClient, ServiceClientConfig, unlockedOperations, UnlockedOperation } from '../service-client';
import { XDR_SERVICE } from '../services/xdr';
import type { XdrPermissionName, XdrTokenInsight } from './permissions';
import { xdrOperations } from './registry';
import type { XdrOperationDefinition } from './types';

export { validateXdrBaseUrl } from './base-url';

export interface XdrClientConfig extends ServiceClientConfig {
  /** Per-attempt timeout for hunting queries. Default 200 s (the service stops queries at 3 minutes). */
  huntingTimeoutMs?: number;
}

export interface XdrCredentialInsight extends XdrTokenInsight {
  unlocked: UnlockedOperation[];
}

export class XdrClient extends ServiceClient<XdrOperationDefinition, XdrTokenInsight> {
  constructor(config: XdrClientConfig) {
    super(XDR_SERVICE, { ...config, longTimeoutMs: config.longTimeoutMs ?? config.huntingTimeoutMs });
  }
}

/** Operations a set of XDR permissions unlocks. */
export function unlockedXdrOperations(permissions: readonly XdrPermissionName[]): UnlockedOperation[] {
  return unlockedOperations(xdrOperations, { kind: 'application', permissions });
}
