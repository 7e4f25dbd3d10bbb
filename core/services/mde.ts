// Microsoft Defender for Endpoint as a service the core can call: one API host per cloud shared by
// every tenant (plus the documented Commercial aliases, all one budget per tenant), tokens for the
// "WindowsDefenderATP" resource of the cloud, application roles and delegated scopes that differ
// only for reads, response actions the service runs on its own, no legacy MDCA tokens.
// The contract it follows is docs/defender-endpoint-api.md.
import { clouds } from '../clouds';
import { mdeBudgetKey, mdeTokenResource, validateMdeBaseUrl } from '../mde/base-url';
import { mdePermissionsForKind, MdeTokenInsight, readMdeTokenInsight } from '../mde/permissions';
import { findMdeOperation, mdeOperations } from '../mde/registry';
import type { MdeOperationDefinition } from '../mde/types';
import { MDE_WORDING } from '../pipeline/wording';
import { safeServiceMessage } from '../redact';
import { MDE_RESOURCE } from '../service-constants';
import type { ServiceDescriptor } from './descriptor';

export const LEGACY_TOKEN_FOR_MDE = {
  message: 'A legacy MDCA API token cannot call Microsoft Defender for Endpoint.',
  hint: 'Use an Entra app (client secret or certificate) or a user sign-in with the "WindowsDefenderATP" permissions (type WindowsDefenderATP under APIs my organization uses): Machine.Read.All and Machine.Isolate, Machine.Scan, Machine.CollectForensics, Machine.RestrictExecution for apps; Machine.Read and the same action names for users; then grant admin consent.',
};

/** The application id of WindowsDefenderATP, the audience some MDE tokens carry instead of its URL. */
export const MDE_APP_ID = 'fc780465-2017-40d4-a0c5-307022471b92';

const MDE_AUDIENCES = new Set([MDE_RESOURCE, MDE_APP_ID, 'https://securitycenter.onmicrosoft.com/windowsatpservice', ...Object.values(clouds).map((c) => c.mdeTokenResource.toLowerCase())]);

function isMdeAudience(audience: string): boolean {
  return MDE_AUDIENCES.has(audience.replace(/\/+$/, '').toLowerCase());
}

export const MDE_SERVICE: ServiceDescriptor<MdeOperationDefinition, MdeTokenInsight> = {
  id: 'mde',
  wording: MDE_WORDING,
  baseUrl: validateMdeBaseUrl,
  tokenResource: MDE_RESOURCE,
  tokenResourceFor: mdeTokenResource,
  defaultBudgetKey: mdeBudgetKey,
  permissions: {
    consentApiName: 'WindowsDefenderATP',
    userRoleName: 'Defender for Endpoint (View Data, Active remediation actions or Alerts investigation, with access to the device group)',
    read: (accessToken) => readMdeTokenInsight(accessToken),
    forKind: mdePermissionsForKind,
    refuse(token, audience) {
      if (token.scheme !== 'Bearer') return LEGACY_TOKEN_FOR_MDE;
      if (audience === undefined || isMdeAudience(audience)) return undefined;
      return {
        message: `The token is for "${safeServiceMessage(audience).slice(0, 100)}", not for Microsoft Defender for Endpoint. Nothing was sent.`,
        hint: `Ask Entra ID for scope ${MDE_RESOURCE}/.default (Commercial; the API host itself in the US Government clouds) for an app, or for the WindowsDefenderATP permissions by name for a user.`,
      };
    },
  },
  insight: (token) =>
    (token.scheme === 'Bearer' ? readMdeTokenInsight(token.token) : undefined) ?? {
      service: 'mde',
      kind: 'application',
      permissions: [],
      otherClaims: [],
      verified: false,
      expiresOnMs: token.expiresOnMs,
    },
  operations: mdeOperations,
  findOperation: findMdeOperation,
  pipeline: { maxResponseBytes: 50 * 1024 * 1024 },
  // Each MDE API allows 100 calls per minute and 1,500 per hour; 90 and 1,400 leave room for the
  // tenant's other integrations. One budget per tenant whatever alias host is called.
  budget: { perMinute: 90, perHour: 1_400 },
};
