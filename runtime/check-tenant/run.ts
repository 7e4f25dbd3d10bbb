// The check-tenant run: one client per service from the same credential (runtime factory, test
// hosts only where the process operator enabled them), the core's connection check with every read
// operation, compared with the emulator's key profile.
import { cloudByName } from '../../core/clouds';
import { checkServiceConnection, EMULATOR_KEY_PROFILE, ServiceCheckReport } from '../../core/connection-check';
import { describeError } from '../../core/client';
import type { AnyOperationDefinition } from '../../core/operations/types';
import type { GrantedAccess, ServiceClient } from '../../core/service-client';
import type { ServiceDescriptor } from '../../core/services/descriptor';
import { GRAPH_SERVICE } from '../../core/services/graph';
import { MDCA_SERVICE } from '../../core/services/mdca';
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

/** A service that could not even be set up (no MDCA URL, a legacy token for Graph…). */
function notChecked(descriptor: ServiceDescriptor<AnyOperationDefinition, GrantedAccess>, config: TenantCheckConfig, error: { code: string; message: string; hint?: string }): ServiceCheckReport {
  return { service: descriptor.id, serviceName: descriptor.wording.name, cloud: config.cloud, apiHost: '(not reached)', signedIn: false, error, permissions: [], unlocked: [], locked: [] };
}

export async function runTenantCheck(config: TenantCheckConfig, options: TenantCheckOptions = {}): Promise<ServiceCheckReport[]> {
  const now = options.now ?? Date.now;
  const secrets = (): readonly string[] => secretsOf(config.auth);
  const reports: ServiceCheckReport[] = [];
  for (const id of config.services) {
    const { descriptor, apiUrl } = SERVICES[id];
    if (id === 'mdca' && !config.apiUrl) {
      reports.push(notChecked(descriptor, config, { code: 'NOT_CONFIGURED', message: 'No MDCA API URL, so MDCA was not checked.', hint: 'Set MDCA_API_URL to the API URL of Settings > Cloud Apps > About, e.g. https://contoso.portal.cloudappsecurity.com.' }));
      continue;
    }
    let client: ServiceClient<AnyOperationDefinition, GrantedAccess>;
    try {
      cloudByName(config.cloud);
      client = createServiceClient(descriptor, { cloud: config.cloud, apiUrl: apiUrl(config), auth: config.auth, testing: operatorTesting(), budget: budgetOf(descriptor, config) });
    } catch (error) {
      const summary = describeError(error);
      reports.push(notChecked(descriptor, config, { code: String(summary.code), message: String(summary.message), ...(summary.hint ? { hint: String(summary.hint) } : {}) }));
      continue;
    }
    reports.push(
      await checkServiceConnection(client, { runReads: true, maxItems: config.maxItems, now, signal: options.signal, emulatorProfile: EMULATOR_KEY_PROFILE[id], secrets }),
    );
  }
  return reports;
}
