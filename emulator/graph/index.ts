// Emulated Microsoft Graph security API: one HTTPS listener per tenant (alerts_v2, incidents,
// runHuntingQuery) over the tenant's MDCA data. See README.md here.
import { TenantOptions, TenantState } from '../tenant-state';
import { GraphTenant, GraphTenantOptions } from './state';

export { GRAPH_AUDIENCE } from './constants';
export { GraphControl } from './control';
export { createGraphControlHandler } from './control-http';
export { createGraphHandler } from './server';
export { GraphTenant } from './state';
export type { GraphTenantOptions, GraphSettings } from './state';

/** One Graph tenant per MDCA tenant; throttling is off where the MDCA tenant's is off. */
export function createGraphTenants(tenants: Map<string, TenantState>, tenantOptions: TenantOptions[], options: GraphTenantOptions = {}): Map<string, GraphTenant> {
  const out = new Map<string, GraphTenant>();
  for (const [name, state] of tenants) {
    const own = tenantOptions.find((t) => t.name === name);
    out.set(name, new GraphTenant(state, { ...options, ...(own?.throttle === false && options.throttle === undefined ? { throttle: false } : {}) }));
  }
  return out;
}
