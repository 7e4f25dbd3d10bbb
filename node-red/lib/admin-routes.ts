// The editor's admin endpoints for "mdca-config": registry view, "Test connection" and the
// device-code sign-in. They run with the rights of whoever can reach Node-RED's admin API, which
// without adminAuth is any web page the editor's user visits; so every write route takes JSON only
// (a cross-site form or text post needs no CORS preflight, a JSON one does), and saved credentials
// are only ever used together with the saved node's own hosts, authority and CA.
import crypto from 'node:crypto';
import type { NodeAPI } from 'node-red';
import type { NextFunction, Request, Response } from 'express';
import { describeError, XDR_RESOURCE } from '../../core';
import { createMdcaClient, providerEnvironment } from '../../runtime/create-client';
import { createXdrClient } from '../../runtime/create-xdr-client';
import { credentialFingerprint, evictTokenProvider } from '../../runtime/registry';
import { ConnectionSettings, validateAuthSettings } from '../../runtime/settings';
import { signInWithDeviceCode } from '../../runtime/token-providers';
import { ConnectionProperties, graphSettingsFromConfig, MdcaConfigCredentials, MdcaConfigDef, settingsFromConfig, xdrSettingsFromConfig } from './config';
import { registerCheckConnectionRoute } from './check-connection-route';
import { editorRegistry } from './editor-registry';

/** A deployed "mdca-config" node's saved properties and credentials. */
export interface SavedConnection {
  def: MdcaConfigDef;
  credentials: MdcaConfigCredentials;
}

export interface AdminRouteHooks {
  /** The deployed "mdca-config" node with this id; undefined for any other type or an undeployed id. */
  savedConnection(id: string): SavedConnection | undefined;
  /** Whether a deployed node uses the token provider with this fingerprint (MDCA or XDR). */
  inUse(fingerprint: string): boolean;
}

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

/** What the editor sends in place of a saved password-type credential. */
const SAVED = '__PWRD__';

/** The secrets each sign-in method uses; the dialog sends every field whatever the method. */
const SECRETS_OF: Record<string, (keyof MdcaConfigCredentials)[]> = {
  appSecret: ['clientSecret'],
  appCertificate: ['certificatePem', 'privateKeyPem', 'privateKeyPassphrase'],
  userPassword: ['password'],
  apiToken: ['apiToken'],
  deviceCode: [],
  managedIdentity: [],
  workloadIdentity: [],
};

/** Properties that decide where a sign-in goes and as whom. */
const CONNECTION_FIELDS = ['cloud', 'apiUrl', 'authKind', 'tenantId', 'clientId', 'username', 'managedIdentityType', 'managedIdentityId', 'allowHosts', 'authorityHost', 'caPem', 'xdrApiUrl', 'graphApiUrl', 'mdeApiUrl'] as const;

const MAX_DEVICE_SESSIONS = 20;

type Failure = { status: number; code: string; message: string; hint?: string };

function fail(res: Response, f: Failure): void {
  res.status(f.status).json({ ok: false, error: { code: f.code, message: f.message, ...(f.hint ? { hint: f.hint } : {}) } });
}

/** Refuses anything but a JSON body: a cross-site page can only send JSON after a CORS preflight. */
function jsonOnly(req: Request, res: Response, next: NextFunction): void {
  if (req.is('application/json')) return next();
  fail(res, { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request body as application/json.' });
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v).trim());

/** Connection properties the request names with a value other than the saved one. */
function changedFields(body: ConnectionProperties, saved: MdcaConfigDef): string[] {
  return CONNECTION_FIELDS.filter((f) => f in body && text(body[f]) !== text(f === 'authKind' ? (saved[f] ?? 'appSecret') : f === 'cloud' ? saved[f] || 'commercial' : saved[f]));
}

function unsavedChanges(changed: string[], hint: string): Failure {
  return { status: 409, code: 'UNSAVED_CHANGES', message: `The dialog differs from the deployed connection (${changed.join(', ')}).`, hint };
}

const NOT_DEPLOYED: Failure = {
  status: 404,
  code: 'NOT_DEPLOYED',
  message: 'No deployed MDCA connection has this id.',
  hint: 'Deploy the connection first, or type its secret again to test the values in the dialog.',
};

type TestTarget =
  | { ok: true; settings: ConnectionSettings; xdrSettings: ReturnType<typeof xdrSettingsFromConfig>; graphSettings: ReturnType<typeof graphSettingsFromConfig> }
  | { ok: false; failure: Failure };

/**
 * What "Test connection" signs in with: either everything the dialog sent (its typed secrets, its
 * hosts) or, when it asks for the saved secrets, everything the deployed node saved. A mix would
 * let a request send a saved secret to a host of its choosing.
 */
function testTarget(body: Record<string, unknown>, hooks: AdminRouteHooks): TestTarget {
  const given = (body.credentials && typeof body.credentials === 'object' ? body.credentials : {}) as Record<string, unknown>;
  const authKind = typeof body.authKind === 'string' ? body.authKind : 'appSecret';
  const secrets = SECRETS_OF[authKind] ?? [];
  // A refresh token only ever lives on the runtime, so a device-code connection is always the saved one.
  const wantsSaved = authKind === 'deviceCode' || secrets.some((f) => given[f] === SAVED);
  if (!wantsSaved) {
    const typed: MdcaConfigCredentials = {};
    for (const f of secrets) if (typeof given[f] === 'string') typed[f] = given[f] as string;
    // The proxy URL is host and password in one value: a saved one goes only to its own host.
    const proxy = given.proxyUrl === SAVED ? (typeof body.id === 'string' ? hooks.savedConnection(body.id)?.credentials.proxyUrl : undefined) : given.proxyUrl;
    if (typeof proxy === 'string' && proxy) typed.proxyUrl = proxy;
    return { ok: true, settings: settingsFromConfig(body, typed), xdrSettings: xdrSettingsFromConfig(body, typed), graphSettings: graphSettingsFromConfig(body, typed) };
  }
  const saved = typeof body.id === 'string' ? hooks.savedConnection(body.id) : undefined;
  if (!saved) return { ok: false, failure: NOT_DEPLOYED };
  const changed = changedFields(body, saved.def);
  for (const f of [...secrets, 'proxyUrl' as const]) {
    const v = given[f];
    if (typeof v === 'string' && v !== '' && v !== SAVED && v !== (saved.credentials[f] ?? '')) changed.push(f);
  }
  if (changed.length > 0) return { ok: false, failure: unsavedChanges(changed, 'Deploy the changes first, or type every secret again to test the values in the dialog.') };
  return {
    ok: true,
    settings: settingsFromConfig(saved.def, saved.credentials),
    xdrSettings: xdrSettingsFromConfig(saved.def, saved.credentials),
    graphSettings: graphSettingsFromConfig(saved.def, saved.credentials),
  };
}

export function registerAdminRoutes(RED: NodeAPI, hooks: AdminRouteHooks): void {
  const read = RED.auth.needsPermission('mdca-config.read');
  const write = RED.auth.needsPermission('mdca-config.write');

  RED.httpAdmin.get('/mdca/registry', read, (_req: Request, res: Response) => {
    res.json(editorRegistry());
  });

  RED.httpAdmin.post('/mdca/test-connection', write, jsonOnly, (req: Request, res: Response) => {
    void (async () => {
      let key: string | undefined;
      try {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const target = testTarget(body, hooks);
        if (!target.ok) return fail(res, target.failure);
        const { settings } = target;
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
        const xdr = settings.auth.kind === 'apiToken' ? undefined : await xdrInsight(target.xdrSettings, hooks, signal);
        res.json({ ok: apiReachable !== false, kind: insight.kind, permissions: insight.permissions, unlocked: insight.unlocked, apiReachable, probe, ...(apiError ? { error: apiError } : {}), ...(xdr ? { xdr } : {}) });
      } catch (e) {
        res.json({ ok: false, error: describeError(e) });
      } finally {
        // A test must not keep a provider alive for a credential no deployed node uses.
        if (key && !hooks.inUse(key)) evictTokenProvider(key);
      }
    })().catch(() => {
      if (!res.headersSent) res.status(500).json({ ok: false, error: { code: 'UNEXPECTED', message: 'Unexpected error' } });
    });
  });

  registerCheckConnectionRoute(RED, write, jsonOnly, (body) => {
    const target = testTarget(body, hooks);
    return target.ok ? target : { ok: false, fail: (res: Response) => fail(res, target.failure) };
  }, hooks);

  const sessions = new Map<string, DeviceSession>();

  RED.httpAdmin.post('/mdca/device-code/start', write, jsonOnly, (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const nodeId = typeof body.id === 'string' && /^[0-9a-zA-Z._-]{1,64}$/.test(body.id) ? body.id : '';
    if (!nodeId) return fail(res, { status: 400, code: 'VALIDATION_FAILED', message: 'The connection node id is missing.' });
    // The refresh token is written into this node's credentials, so it must be a deployed
    // device-code connection, signed in exactly as it was saved.
    const saved = hooks.savedConnection(nodeId);
    if (!saved) return fail(res, { ...NOT_DEPLOYED, hint: 'Choose "Device code", deploy, then open the connection again and sign in.' });
    if ((saved.def.authKind ?? 'appSecret') !== 'deviceCode') return fail(res, { status: 409, code: 'UNSAVED_CHANGES', message: 'The deployed connection does not use the device-code sign-in.', hint: 'Choose "Device code", deploy, then sign in.' });
    const changed = changedFields(body, saved.def);
    if (changed.length > 0) return fail(res, unsavedChanges(changed, 'Deploy the changes first, then sign in.'));
    if ([...sessions.values()].filter((s) => s.status === 'starting' || s.status === 'pending').length >= MAX_DEVICE_SESSIONS) return fail(res, { status: 429, code: 'TOO_MANY_SIGN_INS', message: 'Too many device-code sign-ins are in progress.', hint: 'Finish or cancel one, or wait 20 minutes.' });
    try {
      const probe = settingsFromConfig({ ...saved.def, authKind: 'deviceCode' }, { refreshToken: 'placeholder', proxyUrl: saved.credentials.proxyUrl });
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
          // The node may have been removed or replaced during the sign-in (up to 15 minutes).
          const still = hooks.savedConnection(nodeId);
          if (!still || changedFields(saved.def, still.def).length > 0) {
            session.status = 'error';
            session.error = { code: 'NOT_DEPLOYED', message: 'The connection was removed or changed during the sign-in.', hint: 'Deploy it and sign in again.' };
          } else {
            await RED.nodes.addCredentials(nodeId, { ...(RED.nodes.getCredentials(nodeId) ?? {}), refreshToken: result.refreshToken } as never);
            session.status = 'done';
            session.username = result.username;
          }
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
        session.abort.abort();
        sessions.delete(id);
      }, 20 * 60_000);
      timer.unref?.();
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
}

/**
 * What the same credential may do in Defender XDR (shown by "Test connection" when the token
 * carries XDR permissions). Never fails the test: an MDCA-only app simply has none.
 */
async function xdrInsight(settings: ReturnType<typeof xdrSettingsFromConfig>, hooks: AdminRouteHooks, signal: AbortSignal): Promise<Record<string, unknown> | undefined> {
  let key: string | undefined;
  try {
    key = credentialFingerprint(validateAuthSettings(settings.auth), providerEnvironment(settings, XDR_RESOURCE));
    const insight = await createXdrClient(settings).insight(signal);
    return { kind: insight.kind, permissions: insight.permissions, unlocked: insight.unlocked };
  } catch (e) {
    return { permissions: [], unlocked: [], error: describeError(e) };
  } finally {
    if (key && !hooks.inUse(key)) evictTokenProvider(key);
  }
}
