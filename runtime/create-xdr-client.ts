// The Defender XDR client from the same connection settings as the MDCA one: createServiceClient
// with the XDR descriptor. Same credential kinds except the legacy MDCA API token, tokens for
// https://api.security.microsoft.com, one XDR budget per tenant (per minute and per hour).
import { XDR_SERVICE } from '../core/services/xdr';
import type { XdrClient } from '../core/xdr/client';
import type { XdrPacingOptions } from '../core/xdr/pacing';
import { ClientHooks, createServiceClient } from './create-service-client';
import type { ConnectionSettings } from './settings';

export interface XdrConnectionOptions {
  /** XDR API origin override (testing hosts only; default: the cloud's XDR host). */
  xdrApiUrl?: string;
  /** Per-minute / per-hour budgets (default 45 / 1,400 per tenant). */
  xdrPacing?: XdrPacingOptions;
  /** Per-attempt timeout of hunting queries (default 200 s). */
  huntingTimeoutMs?: number;
}

export function createXdrClient(settings: ConnectionSettings & XdrConnectionOptions, hooks: ClientHooks = {}): XdrClient {
  return createServiceClient(XDR_SERVICE, { ...settings, apiUrl: settings.xdrApiUrl, budget: settings.xdrPacing, longTimeoutMs: settings.huntingTimeoutMs }, hooks);
}
