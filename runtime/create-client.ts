// The MDCA client from the settings a host collected: createServiceClient with the MDCA descriptor.
import type { MdcaClient } from '../core/client';
import { MDCA_SERVICE } from '../core/services/mdca';
import type { ConnectionSettings } from './settings';
import type { ProviderEnvironment } from './token-providers';
import { ClientHooks, createServiceClient, tokenEnvironment } from './create-service-client';

export { testingEndpoints } from './create-service-client';
export type { ClientHooks } from './create-service-client';

/** Where MDCA tokens (or, with `resource`, another service's) come from for these settings. */
export function providerEnvironment(settings: Pick<ConnectionSettings, 'cloud' | 'testing'>, resource = MDCA_SERVICE.tokenResource): ProviderEnvironment {
  return tokenEnvironment(settings, resource);
}

export function createMdcaClient(settings: ConnectionSettings, hooks: ClientHooks = {}): MdcaClient {
  const budget = { perMinute: settings.pacing?.budget, minuteWindowMs: settings.pacing?.windowMs };
  return createServiceClient(MDCA_SERVICE, { ...settings, budget }, hooks);
}
