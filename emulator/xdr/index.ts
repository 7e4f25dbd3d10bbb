// Emulated Microsoft Defender XDR API: one HTTPS listener per tenant, incidents
// linked to the tenant's MDCA alerts, advanced hunting over seeded tables. See README.md here.
import { TenantOptions, TenantState } from '../tenant-state';
import { XdrTenant, XdrTenantOptions } from './state';

export { XDR_AUDIENCE } from './constants';
export { XdrControl } from './control';
export { createXdrControlHandler } from './control-http';
export { createXdrHandler } from './server';
export { XdrTenant } from './state';
export type { XdrTenantOptions, HuntingSettings, HuntingFailure } from './state';

/** One XDR tenant per MDCA tenant; throttling is off where the MDCA tenant's is off. */
export function createXdrTenants(tenants: Map<string, TenantState>, tenantOptions: TenantOptions[], options: XdrTenantOptions = {}): Map<string, XdrTenant> {
  const out = new Map<string, XdrTenant>();
  for (const [name, state] of tenants) {
    const own = tenantOptions.find((t) => t.name === name);
    out.set(name, new XdrTenant(state, { ...options, ...(own?.throttle === false && options.throttle === undefined ? { throttle: false } : {}) }));
  }
  return out;
}
