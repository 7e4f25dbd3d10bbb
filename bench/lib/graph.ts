// Microsoft Graph security for the benchmarks: a client built as the hosts build one
// (runtime/create-service-client.ts) for a tenant's emulated Graph listener, with the Graph
// descriptor's own budget (core/services/graph.ts: 140 per minute) unless a bench overrides it,
// and the emulator's Graph throttle at its documented limit (emulator/graph/state.ts: 150 per
// rolling minute, Retry-After).
import type { RunningEmulator } from '../../emulator';
import { GRAPH_SERVICE, GraphOperationDefinition, GraphTokenInsight } from '../../core';
import type { ServiceClient } from '../../core/service-client';
import { createServiceClient } from '../../runtime/create-service-client';
import type { ServiceBudget } from '../../runtime/service-pacer';
import { hostPort, settingsFor } from '../../test/support/emulator-settings';

export type GraphBenchClient = ServiceClient<GraphOperationDefinition, GraphTokenInsight>;

/** The Graph listener's limit the emulator enforces: 150 requests per rolling 60 s. */
export const GRAPH_LIMIT = 150;
export const GRAPH_WINDOW_MS = 60_000;

/** The Graph security throttle of the emulator at its documented limit, with Retry-After. */
export const graphThrottle = () => ({ limit: GRAPH_LIMIT, windowMs: GRAPH_WINDOW_MS, retryAfterHeader: true });

export function graphBenchClient(emulator: RunningEmulator, tenant: string, budget?: ServiceBudget, timeoutMs = 120_000): GraphBenchClient {
  const t = emulator.tenants[tenant];
  const base = settingsFor(emulator, 'appSecret', tenant);
  return createServiceClient(GRAPH_SERVICE, {
    cloud: base.cloud,
    auth: base.auth,
    apiUrl: t.graphApiUrl,
    testing: { ...base.testing!, allowHosts: [...base.testing!.allowHosts, hostPort(t.graphApiUrl)] },
    timeoutMs,
    ...(budget ? { budget } : {}),
  });
}

/** The most requests the server saw in any window of `windowMs` (ending at a request). */
export function maxInWindow(log: Array<{ at: number }>, windowMs: number): number {
  const at = log.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let end = 0, start = 0; end < at.length; end++) {
    while (at[start] <= at[end] - windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
