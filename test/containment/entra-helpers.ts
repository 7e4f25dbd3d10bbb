// Shared helpers for the Entra ID containment tests: a client for the emulator's Graph listener
// (the same listener serves users and Identity Protection) built like the Graph security tests'
// one (test/graph/helpers.ts), a client on a minted token holding exactly the given permissions,
// and the emulator's request log of the Entra paths.
import type { RunningEmulator } from '../../emulator';
import { ENTRA_SERVICE, EntraOperationDefinition, EntraTokenInsight, OperationOutcome } from '../../core';
import type { ResponseActionRecord } from '../../core/response';
import type { ServiceClient } from '../../core/service-client';
import { createServiceClient, ServiceConnection } from '../../runtime/create-service-client';
import type { AuthSettings } from '../../runtime/settings';
import { graphConnection } from '../graph/helpers';
import { staticTokenProvider } from '../reliability/helpers';
import type { EmulatorAuthKind } from '../support/emulator-settings';

export type EntraTestClient = ServiceClient<EntraOperationDefinition, EntraTokenInsight>;

export function entraClient(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', tenant = 'contoso', extra: Partial<ServiceConnection> = {}): EntraTestClient {
  return createServiceClient(ENTRA_SERVICE, graphConnection(emulator, kind, tenant, extra));
}

/** A client whose token holds exactly `roles` (an app token for Graph, signed by the emulator). */
export function entraClientWithRoles(emulator: RunningEmulator, roles: string[], tenant = 'contoso', claims: Record<string, unknown> = {}): EntraTestClient {
  const token = emulator.control.mintAccessToken(tenant, { aud: 'https://graph.microsoft.com', appid: 'minted-entra', roles, ...claims } as never);
  const auth = { kind: 'external' as const, tokenProvider: staticTokenProvider(token, 'Bearer', Date.now() + 3_600_000), secrets: () => [] };
  return createServiceClient(ENTRA_SERVICE, { ...graphConnection(emulator, 'appSecret', tenant), auth } as ServiceConnection);
}

/** Requests the Graph listener saw on Entra paths (users, identityProtection). */
export function entraRequests(emulator: RunningEmulator, tenant = 'contoso') {
  return emulator.control.graph.requestLog(tenant).filter((r) => /^\/v1\.0\/(users|identityProtection)/i.test(r.path));
}

export function recordsOf(outcome: OperationOutcome): { summary: Record<string, unknown>; records: ResponseActionRecord[] } {
  if (outcome.kind !== 'perItem') throw new Error(`expected a per-item report, got ${outcome.kind}`);
  return { summary: outcome.summary, records: outcome.items as ResponseActionRecord[] };
}

/** Directory users of the tenant that the MDCA alerts name (not the seeded sign-in users, admin, guest). */
export function alertUsers(emulator: RunningEmulator, tenant = 'contoso') {
  return emulator.control.graph.entra.listUsers(tenant).filter((u) => u.roles.length === 0 && u.userType === 'Member' && !u.userPrincipalName.startsWith('$'));
}
