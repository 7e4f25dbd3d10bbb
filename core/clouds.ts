// Sovereign clouds and the tenant API host allow-list: the credential (and so the token) is only
// ever sent to a host under one of the cloud's MDCA portal domains.
import { MdcaConfigurationError } from './errors';
import { CLOUD_HOSTS, CloudHosts, CloudName } from './service-constants';

export type { CloudName } from './service-constants';
export { GRAPH_RESOURCE, MDCA_RESOURCE_APP_ID, XDR_RESOURCE } from './service-constants';

export interface CloudDefinition extends CloudHosts {
  name: CloudName;
  /** Allowed tenant API host suffixes (the portal domains Microsoft lists for the cloud). */
  apiHostSuffixes: readonly string[];
}

/** Label, authority, XDR and Graph hosts come from core/service-constants.ts; the MDCA portal domains are ours to check. */
const cloudDefinition = (name: CloudName, apiHostSuffixes: readonly string[]): CloudDefinition => ({ name, ...CLOUD_HOSTS[name], apiHostSuffixes });

export const clouds: Record<CloudName, CloudDefinition> = {
  commercial: cloudDefinition('commercial', ['.portal.cloudappsecurity.com']),
  gcc: cloudDefinition('gcc', ['.portal.cloudappsecuritygov.com']),
  gccHigh: cloudDefinition('gccHigh', ['.portal.cloudappsecurity.us']),
};

export function cloudByName(name: string | undefined): CloudDefinition {
  const key = name ?? 'commercial';
  // Own keys only: "constructor" or "__proto__" must not pass as a cloud.
  const cloud = Object.hasOwn(clouds, key) ? clouds[key as CloudName] : undefined;
  if (!cloud) {
    throw new MdcaConfigurationError(
      'cloud',
      `Unknown cloud "${String(name)}".`,
      `Pick one of: ${Object.keys(clouds).join(', ')}.`,
    );
  }
  return cloud;
}

/**
 * Hosts outside the allow-list, accepted only when a host explicitly lists them. Meant for the
 * local emulator in tests and the demo ("127.0.0.1:8443"); never needed against a real tenant.
 */
export interface TestingEndpoints {
  /** host:port pairs that may be used as API or identity hosts. */
  allowHosts: readonly string[];
  /** Replaces the cloud's authority host, e.g. https://127.0.0.1:9443 */
  authorityHost?: string;
}

const IPV4_LITERAL = /^\d{1,3}(\.\d{1,3}){3}$/;
const NUMERIC_HOST = /^(0x[0-9a-f]+|\d+)$/i;

/**
 * Validates the tenant API URL and returns its normalized origin ("https://host[:port]").
 * Rejects http, userinfo, IP literals, look-alike hosts, query and fragments before any I/O.
 * A trailing "/api" or "/cas/api" path is accepted and dropped, because the portal shows the URL
 * and Microsoft's API docs say to append /api to it.
 */
export function validateApiBaseUrl(
  raw: string,
  cloud: CloudDefinition,
  testing?: TestingEndpoints,
  field = 'apiUrl',
): string {
  const text = (raw ?? '').trim();
  if (!text) {
    throw new MdcaConfigurationError(
      field,
      'The tenant API URL is empty.',
      'Copy it from the Microsoft Defender portal: Settings > Cloud Apps > System > About, e.g. https://contoso.us2.portal.cloudappsecurity.com',
    );
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new MdcaConfigurationError(field, `The tenant API URL "${text.slice(0, 200)}" is not a valid URL.`, urlHint(cloud));
  }
  if (url.protocol !== 'https:') {
    throw new MdcaConfigurationError(field, 'The tenant API URL must use https.', urlHint(cloud));
  }
  if (url.username || url.password) {
    throw new MdcaConfigurationError(field, 'The tenant API URL must not contain a user name or password.', urlHint(cloud));
  }
  if (url.search || url.hash) {
    throw new MdcaConfigurationError(field, 'The tenant API URL must not contain a query or fragment.', urlHint(cloud));
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== '' && path !== '/api' && path !== '/cas/api') {
    throw new MdcaConfigurationError(field, `The tenant API URL must not contain a path ("${path.slice(0, 100)}").`, urlHint(cloud));
  }
  const host = url.hostname.toLowerCase();
  const hostPort = url.port ? `${host}:${url.port}` : host;
  if (testing?.allowHosts.some((allowed) => allowed.toLowerCase() === hostPort)) {
    return `https://${hostPort}`;
  }
  if (IPV4_LITERAL.test(host) || host.startsWith('[') || host.includes(':') || NUMERIC_HOST.test(host)) {
    throw new MdcaConfigurationError(field, 'The tenant API URL must be a host name, not an IP address.', urlHint(cloud));
  }
  if (url.port && url.port !== '443') {
    throw new MdcaConfigurationError(field, 'The tenant API URL must use the default https port.', urlHint(cloud));
  }
  const suffix = cloud.apiHostSuffixes.find((s) => host.endsWith(s));
  const label = suffix ? host.slice(0, host.length - suffix.length) : '';
  if (!suffix || !/^[a-z0-9-]+(\.[a-z0-9-]+)?$/.test(label)) {
    throw new MdcaConfigurationError(
      field,
      `"${host.slice(0, 200)}" is not a Defender for Cloud Apps host for the ${cloud.label} cloud.`,
      urlHint(cloud),
    );
  }
  return `https://${host}`;
}

function urlHint(cloud: CloudDefinition): string {
  return `Use the API URL shown in the Microsoft Defender portal under Settings > Cloud Apps > System > About; for the ${cloud.label} cloud it ends with ${cloud.apiHostSuffixes.join(' or ')} (for example https://contoso.us2${cloud.apiHostSuffixes[0]}).`;
}

/** Validates an authority override (testing only) and returns its origin. */
export function resolveAuthorityHost(cloud: CloudDefinition, testing?: TestingEndpoints): string {
  if (!testing?.authorityHost) return cloud.authorityHost;
  const url = new URL(testing.authorityHost);
  const hostPort = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  if (url.protocol !== 'https:' || !testing.allowHosts.includes(hostPort)) {
    throw new MdcaConfigurationError(
      'authorityHost',
      'The identity endpoint override must be https and listed in the allowed testing hosts.',
      'This option exists only for the local emulator; leave it empty for a real tenant.',
    );
  }
  return `https://${hostPort}`;
}
