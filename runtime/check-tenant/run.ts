// The check-tenant run: one client per service from the same credential (runtime factory, test
// hosts only where the process operator enabled them), the core's connection check with every read
// operation, compared with the emulator's key profile.
import { checkService, EMULATOR_KEY_PROFILE, notCheckedReport, ServiceCheckReport } from '../../core/connection-check';
import type { AnyOperationDefinition } from '../../core/operations/types';
import type { GrantedAccess } from '../../core/service-client';
import type { ServiceDescriptor } from '../../core/services/descriptor';
import { ENTRA_SERVICE } from '../../core/services/entra';
import { GRAPH_SERVICE } from '../../core/services/graph';
import { MDCA_SERVICE } from '../../core/services/mdca';
import { MDE_SERVICE } from '../../core/services/mde';
import { XDR_SERVICE } from '../../core/services/xdr';
import { createServiceClient } from '../create-service-client';
import { operatorTesting } from '../operator';
import { secretsOf } from '../settings';
import type { ServiceBudget } from '../service-pacer';
import type { ServiceId, TenantCheckConfig } from './config';

const SERVICES: Record<ServiceId, { descriptor: ServiceDescriptor<AnyOperationDefinition, GrantedAccess>; apiUrl: (c: TenantCheckConfig) => string | undefined }> = {
  mdca: { descriptor: MDCA_SERVICE, apiUrl: (c) => c.apiUrl },
  xdr: { descriptor: XDR_SERVICE, apiUrl: (c) => c.xdrApiUrl },
  graph: { descriptor: GRAPH_SERVICE, apiUrl: (c) => c.graphApiUrl },
  // Entra ID is called on the Graph root: the same URL, its own grants and budget.
  entra: { descriptor: ENTRA_SERVICE, apiUrl: (c) => c.graphApiUrl },
  mde: { descriptor: MDE_SERVICE, apiUrl: (c) => c.mdeApiUrl },
};

export interface TenantCheckOptions {
  now?: () => number;
  signal?: AbortSignal;
}

/** A lower budget always; a higher one only against the operator's test hosts: a real tenant's budget is shared with its other integrations. */
function budgetOf(descriptor: ServiceDescriptor<AnyOperationDefinition, GrantedAccess>, config: TenantCheckConfig): ServiceBudget | undefined {
  const wanted = config.requestsPerMinute;
  if (wanted === undefined) return undefined;
  const perMinute = operatorTesting() ? wanted : Math.min(wanted, descriptor.budget.perMinute);
  return { perMinute, ...(descriptor.budget.perHour ? { perHour: Math.max(descriptor.budget.perHour, operatorTesting() ? perMinute * 60 : 0) } : {}) };
}

export async function runTenantCheck(config: TenantCheckConfig, { now = Date.now, signal }: TenantCheckOptions = {}): Promise<ServiceCheckReport[]> {
  const secrets = (): readonly string[] => secretsOf(config.auth);
  const reports: ServiceCheckReport[] = [];
  for (const id of config.services) {
    const { descriptor, apiUrl } = SERVICES[id];
    const checkOptions = { runReads: true, maxItems: config.maxItems, now, signal, emulatorProfile: EMULATOR_KEY_PROFILE[id], secrets };
    if (id === 'mdca' && !config.apiUrl) {
      reports.push(notCheckedReport(descriptor, config.cloud, { code: 'NOT_CONFIGURED', message: 'No MDCA API URL, so MDCA was not checked.', hint: 'Set MDCA_API_URL to the API URL of Settings > Cloud Apps > About, e.g. https://contoso.portal.cloudappsecurity.com.' }));
      continue;
    }
    const build = () => createServiceClient(descriptor, { cloud: config.cloud, apiUrl: apiUrl(config), auth: config.auth, testing: operatorTesting(), budget: budgetOf(descriptor, config) });
    reports.push(await checkService(descriptor, config.cloud, build, checkOptions));
  }
  return reports;
}
