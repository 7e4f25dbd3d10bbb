// Helpers for tests of the emulated Defender for Endpoint listener: tokens from real msal-node
// (app secret, managed-identity-free), an HTTPS client on the tenant's MDE listener, and the
// machines the tenant's Graph alert evidence names.
import { ConfidentialClientApplication, LogLevel, PublicClientApplication } from '@azure/msal-node';
import type { AxiosInstance } from 'axios';
import type { RunningEmulator } from '../../emulator';
import { MDE_RESOURCE } from '../../core/service-constants';
import { msalNetworkClient, rawClient } from './emulator-client';

const system = (emulator: RunningEmulator) => ({ networkClient: msalNetworkClient(emulator), loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined, piiLoggingEnabled: false } });

/** An app token for `resource` (default the MDE resource) from msal's client-credentials flow. */
export async function mdeAppToken(emulator: RunningEmulator, app: 'full' | 'reader' = 'full', tenant = 'contoso', resource = MDE_RESOURCE): Promise<string> {
  const t = emulator.tenants[tenant];
  const creds = t.credentials.apps[app];
  const client = new ConfidentialClientApplication({ auth: { clientId: creds.clientId, clientSecret: creds.clientSecret, authority: t.authority, knownAuthorities: [emulator.identityHost] }, system: system(emulator) });
  const result = await client.acquireTokenByClientCredential({ scopes: [`${resource}/.default`], skipCache: true });
  if (!result?.accessToken) throw new Error('no token');
  return result.accessToken;
}

/** A user token (ROPC through the public client) with the given MDE scopes. */
export async function mdeUserToken(emulator: RunningEmulator, user: 'analyst' | 'reader', scopes: string[], tenant = 'contoso'): Promise<string> {
  const t = emulator.tenants[tenant];
  const u = t.credentials.users[user];
  const client = new PublicClientApplication({ auth: { clientId: t.credentials.apps.public.clientId, authority: t.authority, knownAuthorities: [emulator.identityHost] }, system: system(emulator) });
  const result = await client.acquireTokenByUsernamePassword({ scopes: scopes.map((s) => `${MDE_RESOURCE}/${s}`), username: u.username, password: u.password });
  if (!result?.accessToken) throw new Error('no token');
  return result.accessToken;
}

/** Axios on the tenant's MDE listener with the token; every status is returned, none thrown. */
export function mdeApi(emulator: RunningEmulator, token?: string, tenant = 'contoso'): AxiosInstance {
  const client = rawClient(emulator, emulator.tenants[tenant].mdeApiUrl);
  if (token) client.defaults.headers.common.Authorization = `Bearer ${token}`;
  return client;
}

/** The devices the tenant's Graph alerts name as evidence (mdeDeviceId, deviceDnsName, azureAdDeviceId). */
export function evidenceDevices(emulator: RunningEmulator, tenant = 'contoso'): Array<{ mdeDeviceId: string; deviceDnsName: string; azureAdDeviceId: string }> {
  const out = new Map<string, { mdeDeviceId: string; deviceDnsName: string; azureAdDeviceId: string }>();
  for (const alert of emulator.control.graph.listAlerts(tenant)) {
    for (const e of (alert.evidence as Array<Record<string, unknown>>) ?? []) {
      if (String(e['@odata.type']).endsWith('deviceEvidence')) out.set(String(e.mdeDeviceId), { mdeDeviceId: String(e.mdeDeviceId), deviceDnsName: String(e.deviceDnsName), azureAdDeviceId: String(e.azureAdDeviceId) });
    }
  }
  return [...out.values()];
}
