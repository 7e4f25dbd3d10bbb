// Which outbound proxy a request takes: the connection's own proxy URL, else the host process's
// HTTPS_PROXY / HTTP_PROXY (lower-case forms first, as curl reads them), minus the hosts in
// NO_PROXY. Every target is https, so HTTP_PROXY is only a fallback for hosts that set no
// HTTPS_PROXY. Parsed and checked before anything is sent; an error names the field or variable.
import crypto from 'node:crypto';
import net from 'node:net';
import { MdcaConfigurationError } from '../core/errors';

/** One proxy server, with the Proxy-Authorization its CONNECT requests carry (if any). */
export interface ProxyEndpoint {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  /** `Basic …` from the URL's user name and password; sent to the proxy only, on CONNECT. */
  authorization?: string;
  /** Where the URL came from, for messages: `HTTPS_PROXY` or the credential field `proxyUrl`. */
  source: string;
}

/** The proxy of a connection and the hosts that bypass it. */
export interface ProxyRoute {
  proxy: ProxyEndpoint;
  noProxy: NoProxyRule[];
  /** The password and the Basic credentials, scrubbed by value from anything shown. */
  secrets: string[];
  /** A secret-free key for sharing transports (a hash over the URL). */
  key: string;
}

type NoProxyRule = { kind: 'all' } | { kind: 'host'; suffix: string; port?: number } | { kind: 'cidr'; list: net.BlockList; port?: number };

/** The credential field (n8n) and config-node property (Node-RED) of a connection's own proxy. */
export const PROXY_URL_FIELD = 'proxyUrl';
const HINT = 'Give it as http://host:port or https://host:port, with user:password@ before the host if the proxy needs a sign-in (special characters percent-encoded).';
// The Azure instance metadata endpoint is never reachable through a proxy (managed identity).
const ALWAYS_DIRECT = ['169.254.169.254'];

function envValue(env: NodeJS.ProcessEnv, name: string): { name: string; value: string } | undefined {
  for (const key of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[key]?.trim();
    if (value) return { name: key, value };
  }
  return undefined;
}

/** Parses a proxy URL; `lenient` (environment variables) reads a bare host:port as http://host:port, as curl does. */
export function parseProxyUrl(raw: string, field: string, lenient = false): { endpoint: ProxyEndpoint; secrets: string[] } {
  const text = lenient && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? `http://${raw}` : raw;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MdcaConfigurationError(field, `The proxy URL in ${field} is not a valid URL.`, HINT);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MdcaConfigurationError(field, `The proxy URL in ${field} must start with http:// or https:// (${url.protocol.slice(0, 12)}// proxies are not supported).`, HINT);
  }
  if (!url.hostname || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new MdcaConfigurationError(field, `The proxy URL in ${field} must be only a scheme, a host and a port, with no path or query.`, HINT);
  }
  const user = safeDecode(url.username);
  const password = safeDecode(url.password);
  const basic = user || password ? Buffer.from(`${user}:${password}`).toString('base64') : undefined;
  const secrets = [url.password, password, basic].filter((s): s is string => Boolean(s));
  const endpoint: ProxyEndpoint = {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    ...(basic ? { authorization: `Basic ${basic}` } : {}),
    source: field,
  };
  return { endpoint, secrets };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** NO_PROXY entries: `*`, host names and domains (`example.com` and `.example.com` both cover subdomains), IPs and CIDR ranges, each optionally with `:port`. */
export function parseNoProxy(value: string | undefined): NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const entry of [...(value ?? '').split(/[\s,]+/), ...ALWAYS_DIRECT]) {
    const item = entry.trim().toLowerCase();
    if (!item) continue;
    if (item === '*') {
      rules.push({ kind: 'all' });
      continue;
    }
    const { host, port } = splitHostPort(item.replace(/^\*?\./, ''));
    const cidr = /^(.+)\/(\d{1,3})$/.exec(host);
    if (cidr && net.isIP(cidr[1])) {
      const list = new net.BlockList();
      try {
        list.addSubnet(cidr[1], Number(cidr[2]), net.isIPv6(cidr[1]) ? 'ipv6' : 'ipv4');
        rules.push({ kind: 'cidr', list, port });
      } catch {
        // A prefix length out of range matches nothing, as in curl.
      }
    } else {
      rules.push({ kind: 'host', suffix: host, port });
    }
  }
  return rules;
}

function splitHostPort(item: string): { host: string; port?: number } {
  if (item.includes('/') || net.isIPv6(item)) return { host: item };
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(item) ?? /^([^:]+)(?::(\d+))?$/.exec(item);
  return m ? { host: m[1], port: m[2] ? Number(m[2]) : undefined } : { host: item };
}

/** True when a request to host:port goes direct (NO_PROXY matched). */
export function bypassesProxy(rules: readonly NoProxyRule[], hostname: string, port: number): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return rules.some((rule) => {
    if (rule.kind === 'all') return true;
    if (rule.port !== undefined && rule.port !== port) return false;
    if (rule.kind === 'cidr') return net.isIP(host) !== 0 && rule.list.check(host, net.isIPv6(host) ? 'ipv6' : 'ipv4');
    return host === rule.suffix || host.endsWith(`.${rule.suffix}`);
  });
}

/**
 * The proxy route of a connection: its own proxy URL when given, else the environment's, else
 * none (direct). Throws a configuration error naming the field or variable of an invalid URL.
 */
export function resolveProxyRoute(connectionProxyUrl?: string, env: NodeJS.ProcessEnv = process.env): ProxyRoute | undefined {
  const own = connectionProxyUrl?.trim();
  const fromEnv = own ? undefined : (envValue(env, 'HTTPS_PROXY') ?? envValue(env, 'HTTP_PROXY'));
  const raw = own ?? fromEnv?.value;
  if (!raw) return undefined;
  const { endpoint, secrets } = own ? parseProxyUrl(own, PROXY_URL_FIELD) : parseProxyUrl(raw, fromEnv!.name, true);
  const noProxyValue = envValue(env, 'NO_PROXY')?.value;
  const key = crypto.createHash('sha256').update(JSON.stringify([raw, noProxyValue ?? ''])).digest('hex').slice(0, 32);
  return { proxy: endpoint, noProxy: parseNoProxy(noProxyValue), secrets, key };
}

/** The secret values of a connection's proxy (its own and the environment's), for redaction by value. */
export function proxySecrets(connectionProxyUrl?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const [raw, field, lenient] of [
    [connectionProxyUrl, PROXY_URL_FIELD, false],
    [envValue(env, 'HTTPS_PROXY')?.value, 'HTTPS_PROXY', true],
    [envValue(env, 'HTTP_PROXY')?.value, 'HTTP_PROXY', true],
  ] as const) {
    if (!raw?.trim()) continue;
    try {
      out.push(...parseProxyUrl(raw.trim(), field, lenient).secrets);
    } catch {
      // An invalid URL is refused before anything is sent; nothing from it is shown.
    }
  }
  return out;
}
