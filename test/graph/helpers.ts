// Shared helpers for the Microsoft Graph security tests: a client for the emulator's Graph
// listener (testing host override), fast retries, no practical pacing wait, and a raw HTTPS call.
import type { RunningEmulator } from '../../emulator';
import { collect, GRAPH_SERVICE, GraphOperationDefinition, GraphTokenInsight, OperationOutcome } from '../../core';
import type { ServiceClient } from '../../core/service-client';
import { createServiceClient, ServiceConnection } from '../../runtime/create-service-client';
import type { AuthSettings } from '../../runtime/settings';
import { EmulatorAuthKind, hostPort, settingsFor } from '../support/emulator-settings';

export type GraphTestClient = ServiceClient<GraphOperationDefinition, GraphTokenInsight>;

export function graphConnection(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', tenant = 'contoso', extra: Partial<ServiceConnection> = {}): ServiceConnection {
  const t = emulator.tenants[tenant];
  const base = settingsFor(emulator, kind, tenant, { retry: { baseDelayMs: 20, maxDelayMs: 200 } });
  return {
    ...base,
    apiUrl: t.graphApiUrl,
    testing: { ...base.testing!, allowHosts: [...base.testing!.allowHosts, hostPort(t.graphApiUrl)] },
    budget: { perMinute: 10_000 },
    ...extra,
  };
}

export function graphClient(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', tenant = 'contoso', extra: Partial<ServiceConnection> = {}): GraphTestClient {
  return createServiceClient(GRAPH_SERVICE, graphConnection(emulator, kind, tenant, extra));
}

export async function listItems(outcome: OperationOutcome): Promise<Record<string, unknown>[]> {
  if (outcome.kind !== 'pages') throw new Error(`expected pages, got ${outcome.kind}`);
  return (await collect(outcome.pages)) as Record<string, unknown>[];
}

export function graphRequests(emulator: RunningEmulator, pathIncludes = '/v1.0/', tenant = 'contoso') {
  return emulator.control.graph.requestLog(tenant).filter((r) => r.path.includes(pathIncludes));
}

export async function fetchJson(emulator: RunningEmulator, url: string, token: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca: emulator.caPem, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
