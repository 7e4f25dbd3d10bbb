// "Check connection" of the mdca-config dialog: POST /mdca/check-connection runs the core's
// connection check (core/connection-check) for MDCA, Defender XDR, Microsoft Graph security,
// Microsoft Entra ID and Defender for Endpoint with the same sign-in, and answers the report as JSON and as text. The sign-in target is chosen
// exactly as for "Test connection" (admin-routes.ts: the dialog's typed secrets with the dialog's
// hosts, or the deployed node's saved secrets with its saved hosts — graphApiUrl and mdeApiUrl
// included — never a mix); the route needs
// the write permission and a JSON body, like every route that uses secrets.
import type { NodeAPI } from 'node-red';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { XDR_RESOURCE } from '../../core/clouds';
import { describeError } from '../../core/client';
import { checkService, EMULATOR_KEY_PROFILE, renderConnectionReport, ServiceCheckReport } from '../../core/connection-check';
import type { AnyOperationDefinition } from '../../core/operations/types';
import type { GrantedAccess, ServiceClient } from '../../core/service-client';
import type { ServiceDescriptor } from '../../core/services/descriptor';
import { ENTRA_SERVICE } from '../../core/services/entra';
import { GRAPH_SERVICE } from '../../core/services/graph';
import { MDCA_SERVICE } from '../../core/services/mdca';
import { MDE_SERVICE } from '../../core/services/mde';
import { XDR_SERVICE } from '../../core/services/xdr';
import { cloudByName } from '../../core/clouds';
import { createMdcaClient, providerEnvironment } from '../../runtime/create-client';
import { createServiceClient } from '../../runtime/create-service-client';
import { createXdrClient } from '../../runtime/create-xdr-client';
import { credentialFingerprint, evictTokenProvider } from '../../runtime/registry';
import { secretsOf, validateAuthSettings } from '../../runtime/settings';
import type { ServiceSettings } from './admin-routes';
import type { graphSettingsFromConfig } from './config';

type Target = ({ ok: true } & ServiceSettings) | { ok: false; fail: (res: Response) => void };

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** The deadline of one check: the reads of five services, paced to the tenant's budgets. */
const CHECK_TIMEOUT_MS = 5 * 60_000;

/** The token resource a service's client asks for with these settings (Graph and MDE: per cloud and host). */
function tokenResource(service: ServiceDescriptor<AnyOperationDefinition, GrantedAccess>, settings: ReturnType<typeof graphSettingsFromConfig>): string {
  try {
    const cloud = cloudByName(settings.cloud);
    const origin = service.baseUrl(settings.apiUrl, cloud, settings.testing && { allowHosts: settings.testing.allowHosts, authorityHost: settings.testing.authorityHost });
    return service.tokenResourceFor?.(origin, cloud) ?? service.tokenResource;
  } catch {
    return service.tokenResource;
  }
}

export function registerCheckConnectionRoute(
  RED: NodeAPI,
  write: RequestHandler,
  jsonOnly: Middleware,
  target: (body: Record<string, unknown>) => Target,
  hooks: { inUse(fingerprint: string): boolean },
): void {
  RED.httpAdmin.post('/mdca/check-connection', write, jsonOnly, (req: Request, res: Response) => {
    void (async () => {
      const keys: string[] = [];
      try {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const chosen = target(body);
        if (!chosen.ok) return chosen.fail(res);
        const { settings, xdrSettings, graphSettings, entraSettings, mdeSettings } = chosen;
        const auth = validateAuthSettings(settings.auth);
        // Providers this check creates are evicted after it unless a deployed node uses them.
        if (auth.kind !== 'apiToken') {
          const resources = [undefined, XDR_RESOURCE, tokenResource(GRAPH_SERVICE, graphSettings), tokenResource(ENTRA_SERVICE, entraSettings), tokenResource(MDE_SERVICE, mdeSettings)];
          for (const resource of new Set(resources)) keys.push(credentialFingerprint(auth, providerEnvironment(settings, resource)));
        } else keys.push(credentialFingerprint(auth, providerEnvironment(settings)));
        const options = { runReads: body.runReads === true, now: Date.now, signal: AbortSignal.timeout(CHECK_TIMEOUT_MS), secrets: () => secretsOf(auth) };
        const cloud = settings.cloud;
        const services: [ServiceDescriptor<AnyOperationDefinition, GrantedAccess>, () => ServiceClient<AnyOperationDefinition, GrantedAccess>][] = [
          [MDCA_SERVICE, () => createMdcaClient(settings)],
          [XDR_SERVICE, () => createXdrClient(xdrSettings)],
          [GRAPH_SERVICE, () => createServiceClient(GRAPH_SERVICE, graphSettings)],
          [ENTRA_SERVICE, () => createServiceClient(ENTRA_SERVICE, entraSettings)],
          [MDE_SERVICE, () => createServiceClient(MDE_SERVICE, mdeSettings)],
        ];
        const reports: ServiceCheckReport[] = [];
        for (const [service, build] of services) {
          reports.push(await checkService(service, cloud, build, { ...options, emulatorProfile: EMULATOR_KEY_PROFILE[service.id] }));
        }
        res.json({ ok: reports.some((r) => r.signedIn), reports, text: renderConnectionReport(reports) });
      } catch (e) {
        res.json({ ok: false, error: describeError(e) });
      } finally {
        for (const key of keys) if (!hooks.inUse(key)) evictTokenProvider(key);
      }
    })().catch(() => {
      if (!res.headersSent) res.status(500).json({ ok: false, error: { code: 'UNEXPECTED', message: 'Unexpected error' } });
    });
  });
}
