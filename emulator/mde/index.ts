// Emulated Microsoft Defender for Endpoint API: one HTTPS listener per tenant (machines, machine
// actions with their lifecycle, investigation packages) over the tenant's Graph alert evidence
// devices. See README.md here.
import type { GraphTenant } from '../graph/state';
import { TenantOptions } from '../tenant-state';
import { MdeTenant, MdeTenantOptions } from './state';

export { MDE_AUDIENCE, MDE_AUDIENCES, WINDOWS_DEFENDER_ATP_APP_ID } from './constants';
export { MdeControl } from './control';
export { createMdeControlHandler } from './control-http';
export { createMdeHandler } from './server';
export { MdeTenant } from './state';
export type { MdeTenantOptions, MdeSettings, MachineState, MdeRequestLogEntry } from './state';
export type { Lifecycle, MachineOverride } from './actions';

/** One MDE tenant per Graph tenant; throttling is off where the MDCA tenant's is off. */
export function createMdeTenants(graphTenants: Map<string, GraphTenant>, tenantOptions: TenantOptions[], options: MdeTenantOptions = {}): Map<string, MdeTenant> {
  const out = new Map<string, MdeTenant>();
  for (const [name, graph] of graphTenants) {
    const own = tenantOptions.find((t) => t.name === name);
    out.set(name, new MdeTenant(graph, { ...options, ...(own?.throttle === false && options.throttle === undefined ? { throttle: false } : {}) }));
  }
  return out;
}
