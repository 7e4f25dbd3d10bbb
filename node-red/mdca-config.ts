// Config node "mdca-config": one MDCA connection (cloud, tenant API URL, sign-in method) whose
// secrets live only in Node-RED credentials (password type). It owns one core client, so every
// node using it shares one token cache and one pacing budget. Admin endpoints: the editor's
// registry view, "Test connection" and the device-code sign-in.
import crypto from 'node:crypto';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import type { Request, Response } from 'express';
import { describeError, MdcaClient, MdcaConfigurationError, XDR_RESOURCE, XdrClient } from '../core';
import { createMdcaClient, providerEnvironment } from '../runtime/create-client';
import { createXdrClient } from '../runtime/create-xdr-client';
import { RedisSettings, RedisSharing, sharedRedis } from '../runtime/redis';
import { credentialFingerprint, evictTokenProvider } from '../runtime/registry';
import { ConnectionSettings, validateAuthSettings } from '../runtime/settings';
import { CREDENTIALS, MdcaConfigCredentials, MdcaConfigDef, MdcaConfigNode, redisFromConfig, settingsFromConfig, xdrSettingsFromConfig } from './lib/config';
import { configureOperatorTesting, OperatorTestingOptions } from '../runtime/operator';
import { signInWithDeviceCode } from '../runtime/token-providers';
import { editorRegistry } from './lib/shared';

/** Which fingerprint each config node id last used, so a changed credential evicts the old provider. */
const fingerprints = new Map<string, string>();
/** The same for the Defender XDR token providers (created on first XDR use). */
const xdrFingerprints = new Map<string, string>();

interface DeviceSession {
  status: 'starting' | 'pending' | 'done' | 'error';
  userCode?: string;
  verificationUri?: string;
  message?: string;
  expiresAt?: number;
  username?: string;
  error?: Record<string, unknown>;
  abort: AbortController;
  nodeId: string;
}

export = function register(RED: NodeAPI): void {
  // settings.js is the operator's: only there (or in MDCA_ALLOW_TEST_HOSTS) may test hosts and an
  // extra CA be enabled, never in a connection a flow editor can change.
  const operator = (RED.settings as unknown as { mdcaLowcode?: OperatorTestingOptions }).mdcaLowcode;
  if (operator && (operator.allowTestHosts || operator.testCaPem)) configureOperatorTesting(operator);
  function MdcaConfig(this: MdcaConfigNode, n: MdcaConfigDef): void {
    RED.nodes.createNode(this, n);
    const node = this;
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
        onRefreshToken: (refreshToken) => {
          // Rotated refresh tokens go back into the (encrypted) credentials, never into the flow.
          if (n.authKind !== 'deviceCode') return;
          Promise.resolve(RED.nodes.addCredentials(node.id, { ...creds(), refreshToken } as never)).catch(() => undefined);
        },
      });
    } catch (e) {
      failure = e;
    }
    node.getClient = () => {
      if (client) return client;
      throw failure ?? new MdcaConfigurationError('connection', 'The MDCA connection is not configured.', 'Open the connection node and fill in the fields.');
    };
    // Defender XDR (issue 10): a client of its own (token for the XDR API, XDR pacing), created on
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
        onRefreshToken: (refreshToken) => {
          if (n.authKind !== 'deviceCode') return;
          Promise.resolve(RED.nodes.addCredentials(node.id, { ...creds(), refreshToken } as never)).catch(() => undefined);
        },
      });
      xdrFingerprint = credentialFingerprint(validateAuthSettings(settings.auth), providerEnvironment(settings, XDR_RESOURCE));
      const previousXdr = xdrFingerprints.get(node.id);
      if (previousXdr && previousXdr !== xdrFingerprint) evictTokenProvider(previousXdr);
      xdrFingerprints.set(node.id, xdrFingerprint);
      xdrClient = created;
      return created;
    };
    // Shared budget (issue 12): nodes show in their status while this process paces on its own.
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
      done();
    });
  }
  RED.nodes.registerType('mdca-config', MdcaConfig as never, { credentials: CREDENTIALS as never });

  // ---- admin endpoints ----------------------------------------------------------------------
  const read = RED.auth.needsPermission('mdca-config.read');
  const write = RED.auth.needsPermission('mdca-config.write');

  RED.httpAdmin.get('/mdca/registry', read, (_req: Request, res: Response) => {
    res.json(editorRegistry());
  });

  /** The dialog's values; secrets left as "__PWRD__"/empty fall back to the stored credentials. */
  function dialogSettings(body: Record<string, unknown>): { settings: ConnectionSettings; nodeId?: string } {
    const nodeId = typeof body.id === 'string' ? body.id : undefined;
    const stored = (nodeId ? (RED.nodes.getCredentials(nodeId) as MdcaConfigCredentials | undefined) : undefined) ?? {};
    const given = (body.credentials ?? {}) as Record<string, unknown>;
    const merged: MdcaConfigCredentials = { ...stored };
    for (const field of Object.keys(CREDENTIALS) as (keyof MdcaConfigCredentials)[]) {
      const v = given[field];
      if (typeof v === 'string' && v !== '' && v !== '__PWRD__') merged[field] = v;
    }
    const n = body as unknown as MdcaConfigDef;
    return { settings: settingsFromConfig(n, merged), nodeId };
  }

  RED.httpAdmin.post('/mdca/test-connection', write, (req: Request, res: Response) => {
    void (async () => {
      let key: string | undefined;
      try {
        const { settings } = dialogSettings((req.body ?? {}) as Record<string, unknown>);
        const auth = validateAuthSettings(settings.auth);
        key = credentialFingerprint(auth, providerEnvironment(settings));
        const client = createMdcaClient(settings);
        const signal = AbortSignal.timeout(45_000);
        const insight = await client.insight(signal);
        let apiReachable: boolean | undefined;
        const probe = insight.unlocked.map((u) => u.id).find((id) => ['alert.getAll', 'activity.getAll', 'entity.getAll', 'ipRange.getAll', 'file.getAll', 'discovery.listStreams'].includes(id));
        let apiError: Record<string, unknown> | undefined;
        if (probe) {
          try {
            const outcome = await client.run(probe, {}, { signal, maxItems: 1 });
            if (outcome.kind === 'pages') for await (const _page of outcome.pages) break;
            apiReachable = true;
          } catch (e) {
            apiReachable = false;
            apiError = describeError(e);
          }
        }
        const xdr = await xdrInsight((req.body ?? {}) as Record<string, unknown>, signal);
        res.json({ ok: apiReachable !== false, kind: insight.kind, permissions: insight.permissions, unlocked: insight.unlocked, apiReachable, probe, ...(apiError ? { error: apiError } : {}), ...(xdr ? { xdr } : {}) });
      } catch (e) {
        res.json({ ok: false, error: describeError(e) });
      } finally {
        // A test must not keep a provider alive for a credential no deployed node uses.
        if (key && ![...fingerprints.values()].includes(key)) evictTokenProvider(key);
      }
    })().catch(() => {
      if (!res.headersSent) res.status(500).json({ ok: false, error: { code: 'UNEXPECTED', message: 'Unexpected error' } });
    });
  });

  /**
   * What the same credential may do in Defender XDR (shown by "Test connection" when the token
   * carries XDR permissions). Never fails the test: an MDCA-only app simply has none.
   */
  async function xdrInsight(body: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown> | undefined> {
    if (body.authKind === 'apiToken') return undefined;
    let key: string | undefined;
    try {
      const { settings: base } = dialogSettings(body);
      const settings = { ...base, ...(typeof body.xdrApiUrl === 'string' && body.xdrApiUrl.trim() ? { xdrApiUrl: body.xdrApiUrl.trim() } : {}) };
      key = credentialFingerprint(validateAuthSettings(settings.auth), providerEnvironment(settings, XDR_RESOURCE));
      const insight = await createXdrClient(settings).insight(signal);
      return { kind: insight.kind, permissions: insight.permissions, unlocked: insight.unlocked };
    } catch (e) {
      return { permissions: [], unlocked: [], error: describeError(e) };
    } finally {
      if (key && ![...xdrFingerprints.values()].includes(key)) evictTokenProvider(key);
    }
  }

  const sessions = new Map<string, DeviceSession>();
  const sessionTimers = new Set<NodeJS.Timeout>();

  RED.httpAdmin.post('/mdca/device-code/start', write, (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const nodeId = typeof body.id === 'string' && /^[0-9a-zA-Z._-]{1,64}$/.test(body.id) ? body.id : '';
    if (!nodeId) {
      res.status(400).json({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'The connection node id is missing.' } });
      return;
    }
    try {
      const probe = settingsFromConfig({ ...(body as unknown as MdcaConfigDef), authKind: 'deviceCode' }, { refreshToken: 'placeholder' });
      const auth = validateAuthSettings(probe.auth) as { tenantId: string; clientId: string };
      const id = crypto.randomBytes(16).toString('hex');
      const session: DeviceSession = { status: 'starting', abort: new AbortController(), nodeId };
      sessions.set(id, session);
      let answered = false;
      const answer = (): void => {
        if (answered) return;
        answered = true;
        if (session.status === 'error') res.json({ ok: false, session: id, error: session.error });
        else res.json({ ok: true, session: id, userCode: session.userCode, verificationUri: session.verificationUri, message: session.message, expiresAt: session.expiresAt });
      };
      signInWithDeviceCode({ tenantId: auth.tenantId, clientId: auth.clientId }, providerEnvironment(probe), (prompt) => {
        session.status = 'pending';
        session.userCode = prompt.userCode;
        session.verificationUri = prompt.verificationUri;
        session.message = prompt.message;
        session.expiresAt = Date.now() + prompt.expiresInSeconds * 1000;
        answer();
      }, session.abort.signal).then(
        async (result) => {
          const stored = (RED.nodes.getCredentials(nodeId) as MdcaConfigCredentials | undefined) ?? {};
          await RED.nodes.addCredentials(nodeId, { ...stored, refreshToken: result.refreshToken } as never);
          session.status = 'done';
          session.username = result.username;
          answer();
        },
        (e: unknown) => {
          session.status = 'error';
          session.error = describeError(e);
          answer();
        },
      );
      // Sessions are forgotten after 20 minutes.
      const timer = setTimeout(() => {
        sessionTimers.delete(timer);
        session.abort.abort();
        sessions.delete(id);
      }, 20 * 60_000);
      timer.unref?.();
      sessionTimers.add(timer);
    } catch (e) {
      res.json({ ok: false, error: describeError(e) });
    }
  });

  RED.httpAdmin.get('/mdca/device-code/:session', read, (req: Request, res: Response) => {
    const session = sessions.get(String(req.params.session));
    if (!session) {
      res.status(404).json({ status: 'unknown' });
      return;
    }
    // Never the refresh token: it went straight into the node's credentials.
    res.json({ status: session.status, userCode: session.userCode, verificationUri: session.verificationUri, username: session.username, error: session.error, nodeId: session.nodeId });
  });

  RED.httpAdmin.delete('/mdca/device-code/:session', write, (req: Request, res: Response) => {
    const session = sessions.get(String(req.params.session));
    if (session) {
      session.abort.abort();
      sessions.delete(String(req.params.session));
    }
    res.json({ ok: true });
  });
};

