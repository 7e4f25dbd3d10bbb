// The Microsoft Graph root: one per cloud, shared by every tenant (docs/graph-security-api.md,
// "Hosts"). The GCC High cloud has a second documented root, the DoD one; the China root is
// refused by name because it serves no security API. Another origin is accepted only from the
// operator's testing hosts (the emulator).
import { CloudDefinition, clouds, TestingEndpoints } from '../clouds';
import { MdcaConfigurationError } from '../errors';
import { GRAPH_CHINA_HOST, GRAPH_DOD_HOST } from '../service-constants';

const GRAPH_HOSTS = new Set(Object.values(clouds).map((c) => new URL(c.graphApiHost).host));

/** The Graph roots a cloud's tenants may use: its own, and for GCC High also the DoD one. */
export function graphRootsOf(cloud: CloudDefinition): string[] {
  return cloud.name === 'gccHigh' ? [cloud.graphApiHost, GRAPH_DOD_HOST] : [cloud.graphApiHost];
}

function parse(text: string, field: string, hint: string): URL {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new MdcaConfigurationError(field, `The Microsoft Graph URL "${text.slice(0, 200)}" is not a valid URL.`, hint);
  }
}

/** The Graph origin for a cloud, or a validated override (a documented root, or a testing host). */
export function validateGraphBaseUrl(raw: string | undefined, cloud: CloudDefinition, testing?: TestingEndpoints, field = 'graphApiUrl'): string {
  const text = (raw ?? '').trim();
  if (!text) return cloud.graphApiHost;
  const roots = graphRootsOf(cloud);
  const hint = `Leave it empty to use ${cloud.graphApiHost} (Microsoft Graph of the ${cloud.label} cloud)${roots.length > 1 ? `, or give ${roots.slice(1).join(', ')} for a US Government DoD tenant` : ''}.`;
  const url = parse(text, field, hint);
  const path = url.pathname.replace(/\/+$/, '');
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash || (path !== '' && path !== '/v1.0')) {
    throw new MdcaConfigurationError(field, 'The Microsoft Graph URL must be a plain https origin.', hint);
  }
  const hostPort = url.port ? `${url.hostname.toLowerCase()}:${url.port}` : url.hostname.toLowerCase();
  if (testing?.allowHosts.some((h) => h.toLowerCase() === hostPort)) return `https://${hostPort}`;
  const root = roots.find((r) => new URL(r).host === hostPort);
  if (root) return root;
  if (hostPort === new URL(GRAPH_CHINA_HOST).host) {
    throw new MdcaConfigurationError(field, 'Microsoft Graph operated by 21Vianet (China) offers no security alerts, incidents or hunting API.', hint);
  }
  if (GRAPH_HOSTS.has(hostPort) || hostPort === new URL(GRAPH_DOD_HOST).host) {
    throw new MdcaConfigurationError(field, `${hostPort} is Microsoft Graph of another cloud than ${cloud.label}.`, hint);
  }
  throw new MdcaConfigurationError(field, `"${hostPort.slice(0, 200)}" is not a Microsoft Graph host.`, hint);
}

/** The token resource for a Graph origin: the root itself, or the cloud's root for a testing host. */
export function graphTokenResource(baseUrl: string, cloud: CloudDefinition): string {
  const origin = new URL(baseUrl).origin;
  return graphRootsOf(cloud).find((r) => r === origin) ?? cloud.graphApiHost;
}
