// Shared helpers for core tests: a fast client (no pacing wait, short back-off) on the emulator.
import type { RunningEmulator } from '../../emulator';
import { cloudByName, collect, MdcaClient, OperationOutcome } from '../../core';
import type { PacingPort, TokenProvider } from '../../core';
import { createMdcaClient, realSleep, sharedTransport, systemClock } from '../../runtime';
import type { AuthSettings, ConnectionSettings } from '../../runtime/settings';
import { EmulatorAuthKind, settingsFor } from '../support/emulator-settings';

export function fastSettings(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', tenant = 'contoso', extra: Partial<ConnectionSettings> = {}): ConnectionSettings {
  return settingsFor(emulator, kind, tenant, { pacing: { budget: 10_000 }, retry: { baseDelayMs: 20, maxDelayMs: 200 }, ...extra });
}

export function fastClient(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', tenant = 'contoso', extra: Partial<ConnectionSettings> = {}): MdcaClient {
  return createMdcaClient(fastSettings(emulator, kind, tenant, extra));
}

/** A client assembled by hand the way the runtime assembles one (shared transport, real clock and sleep), around a token provider and a pacer the test controls. */
export function clientAround(emulator: RunningEmulator, settings: ConnectionSettings, tokenProvider: TokenProvider, pacer: PacingPort): MdcaClient {
  return new MdcaClient({
    cloud: cloudByName('commercial'),
    apiUrl: settings.apiUrl,
    transport: sharedTransport(emulator.caPem),
    tokenProvider,
    clock: systemClock,
    sleep: realSleep,
    pacer,
    testing: { allowHosts: settings.testing!.allowHosts, authorityHost: emulator.identityUrl },
  });
}

export async function items(outcome: OperationOutcome): Promise<Record<string, unknown>[]> {
  if (outcome.kind !== 'pages') throw new Error(`expected pages, got ${outcome.kind}`);
  return (await collect(outcome.pages)) as Record<string, unknown>[];
}

/** The `result` of a `kind: 'result'` outcome, typed as the shape the test expects; throws on any other kind. */
export function resultOf<T extends Record<string, unknown>>(outcome: OperationOutcome): T {
  if (outcome.kind !== 'result') throw new Error(`expected result, got ${outcome.kind}`);
  return outcome.result as T;
}

export function dataRequests(emulator: RunningEmulator, pathIncludes: string, tenant = 'contoso') {
  return emulator.control.requestLog(tenant).filter((r) => r.path.includes(pathIncludes));
}
