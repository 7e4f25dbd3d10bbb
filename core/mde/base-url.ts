// The Defender for Endpoint API origin: one host per cloud shared by every tenant, plus the
// aliases Microsoft documents for the Commercial cloud (the older securitycenter host and the
// regional hosts, docs/defender-endpoint-api.md "Hosts"). Every alias of a cloud is the same
// service, so the budget is one per tenant whatever host is used. Another origin is accepted
// only from the operator's testing hosts (the emulator).
import { CloudDefinition, clouds, TestingEndpoints } from '../clouds';
import { MdcaConfigurationError } from '../errors';
import type { CloudName } from '../service-constants';

const COMMERCIAL_ALIASES = [
  'api.security.microsoft.com',
  'api.securitycenter.microsoft.com',
  ...['us', 'eu', 'uk', 'au', 'swa', 'ina', 'aea'].map((region) => `${region}.api.security.microsoft.com`),
  ...['us', 'eu', 'uk', 'au'].map((region) => `api-${region}.securitycenter.microsoft.com`),
];

/** The hosts each cloud's tenants may call: the cloud's own, and for Commercial its documented aliases. */
export function mdeHostsOf(cloud: CloudDefinition): string[] {
  const own = new URL(cloud.mdeApiHost).host;
  return cloud.name === 'commercial' ? [...new Set([own, ...COMMERCIAL_ALIASES])] : [own];
}

const cloudOfHost = new Map<string, CloudName>(Object.values(clouds).flatMap((c) => mdeHostsOf(c).map((h) => [h, c.name] as const)));

function parse(text: string, field: string, hint: string): URL {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new MdcaConfigurationError(field, `The Defender for Endpoint API URL "${text.slice(0, 200)}" is not a valid URL.`, hint);
  }
}

/** The MDE origin for a cloud, or a validated override (a documented host of the cloud, or a testing host). */
export function validateMdeBaseUrl(raw: string | undefined, cloud: CloudDefinition, testing?: TestingEndpoints, field = 'mdeApiUrl'): string {
  const text = (raw ?? '').trim();
  if (!text) return cloud.mdeApiHost;
  const hint = `Leave it empty to use ${cloud.mdeApiHost} (Defender for Endpoint of the ${cloud.label} cloud)${cloud.name === 'commercial' ? ', or give a regional host such as eu.api.security.microsoft.com' : ''}.`;
  const url = parse(text, field, hint);
  const path = url.pathname.replace(/\/+$/, '');
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash || (path !== '' && path !== '/api')) {
    throw new MdcaConfigurationError(field, 'The Defender for Endpoint API URL must be a plain https origin (an optional /api is dropped).', hint);
  }
  const hostPort = url.port ? `${url.hostname.toLowerCase()}:${url.port}` : url.hostname.toLowerCase();
  if (testing?.allowHosts.some((h) => h.toLowerCase() === hostPort)) return `https://${hostPort}`;
  const owner = cloudOfHost.get(hostPort);
  if (owner === cloud.name) return `https://${hostPort}`;
  if (owner) throw new MdcaConfigurationError(field, `${hostPort} is Defender for Endpoint of another cloud than ${cloud.label}.`, hint);
  throw new MdcaConfigurationError(field, `"${hostPort.slice(0, 200)}" is not a Defender for Endpoint API host.`, hint);
}

/**
 * The token resource of every MDE host of a cloud: Commercial tokens are for the securitycenter
 * resource whichever alias is called; the US Government clouds use their API host.
 */
export function mdeTokenResource(_baseUrl: string, cloud: CloudDefinition): string {
  return cloud.mdeTokenResource;
}

/** The budget key of an origin: every alias of a cloud shares one ("mde:<the cloud's host>"). */
export function mdeBudgetKey(baseUrl: string): string {
  const host = new URL(baseUrl).host;
  const owner = cloudOfHost.get(host);
  return `mde:${owner ? new URL(clouds[owner].mdeApiHost).host : host}`;
}
