// The clients a connection ("mdca-config") holds beside its MDCA one: Microsoft Graph security,
// Microsoft Entra ID and Defender for Endpoint. Each is created on first use (an MDCA-only flow
// never asks Entra ID for a Graph or MDE token), signs in for its own token resource and paces on
// its own budget; a changed credential evicts the token provider the node used before.
import { cloudByName } from '../../core/clouds';
import type { AnyOperationDefinition } from '../../core/operations/types';
import type { Clock, Sleep } from '../../core/ports';
import type { GrantedAccess, ServiceClient } from '../../core/service-client';
import type { ServiceDescriptor } from '../../core/services/descriptor';
import { ClientHooks, createServiceClient, providerEnvironment, ServiceConnection } from '../../runtime/create-service-client';
import { credentialFingerprint, evictTokenProvider } from '../../runtime/registry';
import { AuthSettings, validateAuthSettings } from '../../runtime/settings';

/** Which token provider fingerprint each config node id last used, per service. */
const fingerprintsByService = new Map<string, Map<string, string>>();

function fingerprintsOf(serviceId: string): Map<string, string> {
  let map = fingerprintsByService.get(serviceId);
  if (!map) fingerprintsByService.set(serviceId, (map = new Map()));
  return map;
}

/** Every fingerprint a service client of a running connection uses (the admin routes keep those providers). */
export function serviceFingerprintsInUse(): string[] {
  return [...fingerprintsByService.values()].flatMap((m) => [...m.values()]);
}

let clientTime: { clock: Clock; sleep: Sleep } | undefined;

/**
 * The clock and sleep the service clients created from now on wait with (between retries, and
 * while a response action finishes): the system's unless set. An in-process test sets the
 * emulator's, so a wait for a Defender for Endpoint action takes no wall-clock time; undefined
 * goes back to the system's.
 */
export function useServiceClientTime(time: { clock: Clock; sleep: Sleep } | undefined): void {
  clientTime = time;
}

export interface LazyServiceClient<C> {
  /** The client, created on the first call; throws a safe configuration error. */
  get(): C;
  /** On close: a removed node's token provider is evicted. */
  close(removed: boolean): void;
}

/**
 * A service client of the config node `nodeId`, built on first use from `settings` (read then, so
 * a configuration error surfaces in the node that used it) with the connection's shared hooks.
 */
export function lazyServiceClient<D extends AnyOperationDefinition, I extends GrantedAccess>(
  service: ServiceDescriptor<D, I>,
  nodeId: string,
  settings: () => ServiceConnection & { auth: AuthSettings },
  hooks: ClientHooks,
): LazyServiceClient<ServiceClient<D, I>> {
  const fingerprints = fingerprintsOf(service.id);
  let client: ServiceClient<D, I> | undefined;
  let fingerprint: string | undefined;
  return {
    get() {
      if (client) return client;
      const s = settings();
      const created = createServiceClient(service, s, { ...hooks, ...(clientTime ? { time: clientTime } : {}) });
      // The token resource the client asks for: the one of the API origin it calls.
      const resource = service.tokenResourceFor?.(new URL(created.baseUrl).origin, cloudByName(s.cloud)) ?? service.tokenResource;
      fingerprint = credentialFingerprint(validateAuthSettings(s.auth), providerEnvironment(s, resource));
      const previous = fingerprints.get(nodeId);
      if (previous && previous !== fingerprint) evictTokenProvider(previous);
      fingerprints.set(nodeId, fingerprint);
      client = created;
      return created;
    },
    close(removed) {
      if (!removed || !fingerprint) return;
      evictTokenProvider(fingerprint);
      fingerprints.delete(nodeId);
    },
  };
}
