// The Defender XDR API origin: one host per cloud, shared by every tenant. Another origin is
// accepted only from the operator's testing hosts (the emulator).
import { CloudDefinition, clouds, TestingEndpoints } from '../clouds';
import { MdcaConfigurationError } from '../errors';

const XDR_HOSTS = new Set(Object.values(clouds).map((c) => new URL(c.xdrApiHost).host));

/** The XDR API origin for a cloud, or a validated override (testing hosts only). */
export function validateXdrBaseUrl(raw: string | undefined, cloud: CloudDefinition, testing?: TestingEndpoints, field = 'xdrApiUrl'): string {
  const text = (raw ?? '').trim();
  if (!text) return cloud.xdrApiHost;
  const hint = `Leave it empty to use ${cloud.xdrApiHost} (the Defender XDR API of the ${cloud.label} cloud).`;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new MdcaConfigurationError(field, `The Defender XDR API URL "${text.slice(0, 200)}" is not a valid URL.`, hint);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash || (path !== '' && path !== '/api')) {
    throw new MdcaConfigurationError(field, 'The Defender XDR API URL must be a plain https origin.', hint);
  }
  const hostPort = url.port ? `${url.hostname.toLowerCase()}:${url.port}` : url.hostname.toLowerCase();
  if (testing?.allowHosts.some((h) => h.toLowerCase() === hostPort)) return `https://${hostPort}`;
  if (hostPort === new URL(cloud.xdrApiHost).host) return cloud.xdrApiHost;
  if (XDR_HOSTS.has(hostPort)) throw new MdcaConfigurationError(field, `${hostPort} is the Defender XDR API of another cloud than ${cloud.label}.`, hint);
  throw new MdcaConfigurationError(field, `"${hostPort.slice(0, 200)}" is not a Defender XDR API host.`, hint);
}
