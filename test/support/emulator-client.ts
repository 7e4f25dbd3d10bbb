// Helpers for emulator tests: axios over HTTPS trusting the emulator CA (never disabling TLS
// checks), msal network client, and direct token requests.
import axios, { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import https from 'https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { RunningEmulator } from '../../emulator';

export function httpsAgent(emulator: RunningEmulator): https.Agent {
  return new https.Agent({ ca: emulator.caPem, keepAlive: false });
}

export function rawClient(emulator: RunningEmulator, baseURL?: string): AxiosInstance {
  return axios.create({ baseURL, httpsAgent: httpsAgent(emulator), validateStatus: () => true, proxy: false, maxRedirects: 0, transitional: { silentJSONParsing: true } });
}

export function apiClient(emulator: RunningEmulator, authorization?: string, tenant = 'contoso'): AxiosInstance {
  const client = rawClient(emulator, emulator.tenants[tenant].apiUrl);
  if (authorization) client.defaults.headers.common.Authorization = authorization;
  return client;
}

export const tokenHeader = (emulator: RunningEmulator, kind: 'full' | 'readonly' | 'deprovisioned' = 'full', tenant = 'contoso'): string =>
  `Token ${emulator.tenants[tenant].credentials.legacyTokens[kind]}`;

export async function tokenRequest(emulator: RunningEmulator, tenantSegment: string, form: Record<string, string>, version: 'v1' | 'v2' = 'v2', headers: Record<string, string> = {}): Promise<AxiosResponse> {
  const client = rawClient(emulator);
  const path = version === 'v2' ? 'oauth2/v2.0/token' : 'oauth2/token';
  return client.post(`${emulator.identityUrl}/${tenantSegment}/${path}`, new URLSearchParams(form).toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

export async function appToken(emulator: RunningEmulator, app: 'full' | 'reader' = 'full', tenant = 'contoso'): Promise<string> {
  const t = emulator.tenants[tenant];
  const creds = t.credentials.apps[app];
  const res = await tokenRequest(emulator, t.tenantId, { grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret, scope: `${emulator.resource}/.default` });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.data)}`);
  return String(res.data.access_token);
}

/** msal-node network client on axios with the emulator CA. */
export function msalNetworkClient(emulator: RunningEmulator): INetworkModule {
  const client = rawClient(emulator);
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const config: AxiosRequestConfig = { method, url, headers: options?.headers, data: options?.body, responseType: 'text', transformResponse: (d: unknown) => d };
    const res = await client.request<string>(config);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    let body: unknown = res.data;
    try {
      body = JSON.parse(res.data);
    } catch {
      /* leave as text */
    }
    return { headers, body: body as T, status: res.status };
  };
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('GET', url, options),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('POST', url, options),
  };
}
