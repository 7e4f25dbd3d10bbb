// Config node "mdca-config": one MDCA connection (cloud, tenant API URL, sign-in method) whose
// secrets live only in Node-RED credentials (password type). It owns one core client per service
// (MDCA, Defender XDR, Microsoft Graph security, Entra ID, Defender for Endpoint), so every node
// using it shares one token cache and one pacing budget per service. Admin endpoints: the editor's
// registry view, "Test connection" and the device-code sign-in (lib/admin-routes.ts).
import type { Node, NodeAPI, NodeAPISettingsWithData, NodeDef } from 'node-red';
import { ENTRA_SERVICE, GRAPH_SERVICE, MdcaClient, MdcaConfigurationError, MDE_SERVICE, XDR_RESOURCE, XdrClient } from '../core';
import { createMdcaClient, providerEnvironment } from '../runtime/create-client';
import { createXdrClient } from '../runtime/create-xdr-client';
import { RedisSettings, RedisSharing, sharedRedis } from '../runtime/redis';
import { credentialFingerprint, evictTokenProvider } from '../runtime/registry';
import { validateAuthSettings } from '../runtime/settings';
import { lazyServiceClient, LazyServiceClient, serviceFingerprintsInUse } from './lib/service-clients';
import { CREDENTIALS, entraSettingsFromConfig, graphSettingsFromConfig, MdcaConfigCredentials, MdcaConfigDef, MdcaConfigNode, mdeSettingsFromConfig, redisFromConfig, settingsFromConfig, xdrSettingsFromConfig } from './lib/config';
import { configureOperatorTesting, OperatorTestingOptions } from '../runtime/operator';
import { configureOperatorAzureIdentity } from '../runtime/operator-azure-identity';
import { registerAdminRoutes } from './lib/admin-routes';

/** Which fingerprint each config node id last used, so a changed credential evicts the old provider. */
const fingerprints = new Map<string, string>();
/** The same for the Defender XDR token providers (created on first XDR use). */
const xdrFingerprints = new Map<string, string>();

/** The saved properties of each running config node, for the admin routes' saved-node tests. */
const savedDefs = new WeakMap<object, MdcaConfigDef>();

/** Node-RED's settings (settings.js) with this package's own entry, the operator's switches. */
interface SettingsWithOperatorTesting extends NodeAPISettingsWithData {
  mdcaLowcode?: OperatorTestingOptions & { allowAzureIdentity?: boolean | string | string[] };
}

export = function register(RED: NodeAPI<SettingsWithOperatorTesting>): void {
  // settings.js is the operator's: only there (or in MDCA_ALLOW_TEST_HOSTS) may test hosts and an
  // extra CA be enabled, never in a connection a flow editor can change.
  const operator = RED.settings.mdcaLowcode;
  if (operator && (operator.allowTestHosts || operator.testCaPem)) configureOperatorTesting(operator);
  if (operator?.allowAzureIdentity !== undefined) configureOperatorAzureIdentity(operator.allowAzureIdentity);
  function MdcaConfig(this: MdcaConfigNode, n: MdcaConfigDef): void {
    RED.nodes.createNode(this, n);
    const node = this;
    savedDefs.set(node, n);
    let client: MdcaClient | undefined;
    let failure: unknown;
    let fingerprint: string | undefined;
    const creds = (): MdcaConfigCredentials => node.credentials ?? {};
    const logger = {
      debug: (m: string) => node.debug(m),
      info: (m: string) => node.log(m),
      warn: (m: string) => node.warn(m),
      error: (m: string) => node.debug(m),
    } as never;
    // Rotated refresh tokens go back into the (encrypted) credentials, never into the flow.
    const onRefreshToken = (refreshToken: string): void => {
      if (n.authKind !== 'deviceCode') return;
      Promise.resolve(RED.nodes.addCredentials(node.id, { ...creds(), refreshToken } as never)).catch(() => undefined);
    };
    let redis: RedisSettings | undefined;
    let sharing: RedisSharing | undefined;
    try {
      const settings = settingsFromConfig(n, creds());
      const auth = validateAuthSettings(settings.auth);
      fingerprint = credentialFingerprint(auth, providerEnvironment(settings));
      const previous = fingerprints.get(node.id);
      if (previous && previous !== fingerprint) evictTokenProvider(previous);
      fingerprints.set(node.id, fingerprint);
      redis = redisFromConfig(n, creds());
      // The process-wide sharing for these settings: the same one createMdcaClient wires in.
      sharing = redis ? sharedRedis(redis, logger) : undefined;
      client = createMdcaClient(settings, {
        redis,
        logger,
        onRefreshToken,
      });
    } catch (e) {
      failure = e;
    }
    node.getClient = () => {
      if (client) return client;
      throw failure ?? new MdcaConfigurationError('connection', 'The MDCA connection is not configured.', 'Open the connection node and fill in the fields.');
    };
    // Defender XDR: a client of its own (token for the XDR API, XDR pacing), created on
    // first use so MDCA-only flows never ask Entra ID for an XDR token.
    let xdrClient: XdrClient | undefined;
    let xdrFingerprint: string | undefined;
    node.getXdrClient = () => {
      if (xdrClient) return xdrClient;
      if (!client) node.getClient();
      const settings = xdrSettingsFromConfig(n, creds());
      const created = createXdrClient(settings, {
        redis,
        logger,
        onRefreshToken,
      });
      xdrFingerprint = credentialFingerprint(validateAuthSettings(settings.auth), providerEnvironment(settings, XDR_RESOURCE));
      const previousXdr = xdrFingerprints.get(node.id);
      if (previousXdr && previousXdr !== xdrFingerprint) evictTokenProvider(previousXdr);
      xdrFingerprints.set(node.id, xdrFingerprint);
      xdrClient = created;
      return created;
    };
    // Microsoft Graph security, Entra ID and Defender for Endpoint: a client each (token for its
    // API, its own budget), created on first use like the XDR one (lib/service-clients.ts).
    const hooks = { redis, logger, onRefreshToken };
    const serviceClient = <C>(lazy: LazyServiceClient<C>) => (): C => {
      if (!client) node.getClient();
      return lazy.get();
    };
    const graph = lazyServiceClient(GRAPH_SERVICE, node.id, () => graphSettingsFromConfig(n, creds()), hooks);
    const entra = lazyServiceClient(ENTRA_SERVICE, node.id, () => entraSettingsFromConfig(n, creds()), hooks);
    const mde = lazyServiceClient(MDE_SERVICE, node.id, () => mdeSettingsFromConfig(n, creds()), hooks);
    node.getGraphClient = serviceClient(graph);
    node.getEntraClient = serviceClient(entra);
    node.getMdeClient = serviceClient(mde);
    // Shared budget through Redis: nodes show in their status while this process paces on its own.
    node.sharingMode = () => sharing?.mode ?? 'off';
    node.settingsSummary = () => ({ cloud: n.cloud || 'commercial', apiUrl: String(n.apiUrl ?? ''), authKind: n.authKind ?? 'appSecret' });
    node.on('close', (removed: boolean, done: () => void) => {
      if (removed && fingerprint) {
        evictTokenProvider(fingerprint);
        fingerprints.delete(node.id);
      }
      if (removed && xdrFingerprint) {
        evictTokenProvider(xdrFingerprint);
        xdrFingerprints.delete(node.id);
      }
      for (const lazy of [graph, entra, mde]) lazy.close(removed);
      done();
    });
  }
  RED.nodes.registerType('mdca-config', MdcaConfig as never, { credentials: CREDENTIALS as never });

  registerAdminRoutes(RED, {
    savedConnection: (id) => {
      // Only a deployed node of this type: an id the request names may be any node's.
      const found = RED.nodes.getNode(id) as (Node & { type?: string }) | null;
      const def = found && found.type === 'mdca-config' ? savedDefs.get(found) : undefined;
      return def ? { def, credentials: (found as MdcaConfigNode).credentials ?? {} } : undefined;
    },
    inUse: (key) => [...fingerprints.values(), ...xdrFingerprints.values(), ...serviceFingerprintsInUse()].includes(key),
  });
};

