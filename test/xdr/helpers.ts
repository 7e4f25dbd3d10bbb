// Shared helpers for the Defender XDR tests: settings that reach the emulator's XDR listener
// (testing host override), fast retries and no practical pacing wait.
import type { RunningEmulator } from '../../emulator';
import { collect, OperationOutcome, XdrClient } from '../../core';
import { createXdrClient, XdrConnectionOptions } from '../../runtime';
import type { AuthSettings, ConnectionSettings } from '../../runtime/settings';
import { EmulatorAuthKind, hostPort, settingsFor } from '../support/emulator-settings';

export function xdrSettings(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', tenant = 'contoso', extra: Partial<ConnectionSettings & XdrConnectionOptions> = {}): ConnectionSettings & XdrConnectionOptions {
  const t = emulator.tenants[tenant];
  const base = settingsFor(emulator, kind, tenant, { retry: { baseDelayMs: 20, maxDelayMs: 200 } });
  return {
    ...base,
    xdrApiUrl: t.xdrApiUrl,
    testing: { ...base.testing!, allowHosts: [...base.testing!.allowHosts, hostPort(t.xdrApiUrl)] },
    xdrPacing: { perMinute: 10_000, perHour: 100_000 },
    ...extra,
  };
}

export function xdrClient(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', tenant = 'contoso', extra: Partial<ConnectionSettings & XdrConnectionOptions> = {}): XdrClient {
  return createXdrClient(xdrSettings(emulator, kind, tenant, extra));
}

export async function listItems(outcome: OperationOutcome): Promise<Record<string, unknown>[]> {
  if (outcome.kind !== 'pages') throw new Error(`expected pages, got ${outcome.kind}`);
  return (await collect(outcome.pages)) as Record<string, unknown>[];
}

export function xdrRequests(emulator: RunningEmulator, pathIncludes = '/api/', tenant = 'contoso') {
  return emulator.control.xdr.requestLog(tenant).filter((r) => r.path.includes(pathIncludes));
}
