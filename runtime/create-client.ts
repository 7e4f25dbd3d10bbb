// The MDCA client from the settings a host collected: createServiceClient with the MDCA descriptor.
import type { MdcaClient } from '../core/client';
import { MDCA_SERVICE } from '../core/services/mdca';
import type { ConnectionSettings } from './settings';
import { ClientHooks, createServiceClient } from './create-service-client';

export { providerEnvironment, testingEndpoints } from './create-service-client';
export type { ClientHooks } from './create-service-client';

export function createMdcaClient(settings: ConnectionSettings, hooks: ClientHooks = {}): MdcaClient {
  const budget = { perMinute: settings.pacing?.budget, minuteWindowMs: settings.pacing?.windowMs };
  return createServiceClient(MDCA_SERVICE, { ...settings, budget }, hooks);
}
