// Connection settings pointing at a running emulator, one per credential kind, so every suite
// (core, n8n, Node-RED) connects the same way a user would, through the testing-host option.
import type { RunningEmulator } from '../../emulator';
import type { AuthSettings, ConnectionSettings } from '../../runtime/settings';
import { configureOperatorTesting } from '../../runtime/operator';

export type EmulatorAuthKind = 'appSecret' | 'appReader' | 'appCertificate' | 'userPassword' | 'apiToken' | 'apiTokenReadonly';

export function authFor(emulator: RunningEmulator, kind: EmulatorAuthKind, tenant = 'contoso'): AuthSettings {
  const t = emulator.tenants[tenant];
  const c = t.credentials;
  switch (kind) {
    case 'appSecret':
      return { kind: 'appSecret', tenantId: t.tenantId, clientId: c.apps.full.clientId, clientSecret: c.apps.full.clientSecret };
    case 'appReader':
      return { kind: 'appSecret', tenantId: t.tenantId, clientId: c.apps.reader.clientId, clientSecret: c.apps.reader.clientSecret };
    case 'appCertificate':
      return { kind: 'appCertificate', tenantId: t.tenantId, clientId: c.apps.cert.clientId, certificatePem: c.apps.cert.certificatePem, privateKeyPem: c.apps.cert.privateKeyPem };
    case 'userPassword':
      return { kind: 'userPassword', tenantId: t.tenantId, clientId: c.apps.public.clientId, username: c.users.analyst.username, password: c.users.analyst.password };
    case 'apiToken':
      return { kind: 'apiToken', token: c.legacyTokens.full };
    case 'apiTokenReadonly':
      return { kind: 'apiToken', token: c.legacyTokens.readonly };
    default:
      throw new Error(`unknown kind ${String(kind)}`);
  }
}

/** host:port of a URL, as the testing allow-list wants it. */
export function hostPort(url: string): string {
  return new URL(url).host;
}

export function settingsFor(
  emulator: RunningEmulator,
  kind: EmulatorAuthKind | AuthSettings,
  tenant = 'contoso',
  extra: Partial<ConnectionSettings> = {},
): ConnectionSettings {
  const t = emulator.tenants[tenant];
  return {
    cloud: 'commercial',
    apiUrl: t.apiUrl,
    auth: typeof kind === 'string' ? authFor(emulator, kind, tenant) : kind,
    testing: {
      allowHosts: [hostPort(t.apiUrl), emulator.identityHost],
      authorityHost: emulator.identityUrl,
      caPem: emulator.caPem,
    },
    ...extra,
  };
}

/** Every host:port of a running emulator: each tenant's API, XDR, Graph and MDE listener, and its identity endpoint. */
export function emulatorHosts(emulator: RunningEmulator): string[] {
  const hosts = [emulator.identityHost];
  for (const t of Object.values(emulator.tenants)) {
    hosts.push(hostPort(t.apiUrl));
    if (t.xdrApiUrl) hosts.push(hostPort(t.xdrApiUrl));
    if (t.graphApiUrl) hosts.push(hostPort(t.graphApiUrl));
    if (t.mdeApiUrl) hosts.push(hostPort(t.mdeApiUrl));
  }
  return [...new Set(hosts)];
}

/**
 * The in-process equivalent of starting n8n or Node-RED with MDCA_ALLOW_TEST_HOSTS,
 * MDCA_TEST_AUTHORITY_HOST and NODE_EXTRA_CA_CERTS: the test suite is the process operator here,
 * since credentials can no longer allow a host or a CA.
 */
export function enableEmulatorHosts(emulator: RunningEmulator, hosts: string[] = emulatorHosts(emulator)): void {
  configureOperatorTesting({ allowTestHosts: hosts, testAuthorityHost: emulator.identityUrl, testCaPem: emulator.caPem });
}

/** The environment a separate n8n or Node-RED process needs to reach the emulator (caFile: its CA on disk, if not trusted otherwise). */
export function emulatorOperatorEnv(emulator: RunningEmulator, caFile?: string): Record<string, string> {
  return { MDCA_ALLOW_TEST_HOSTS: emulatorHosts(emulator).join(','), MDCA_TEST_AUTHORITY_HOST: emulator.identityUrl, ...(caFile ? { NODE_EXTRA_CA_CERTS: caFile } : {}) };
}
