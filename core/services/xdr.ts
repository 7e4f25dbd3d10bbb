// Microsoft Defender XDR as a service the core can call: one API host per cloud shared by every
// tenant (so its budget is keyed by tenant), tokens for https://api.security.microsoft.com
// ("Microsoft Threat Protection"), application permissions ending in ".All" and delegated ones
// without, advanced hunting queries that run for minutes, no legacy MDCA tokens.
import { XDR_RESOURCE } from '../clouds';
import { XDR_WORDING } from '../pipeline/wording';
import { safeServiceMessage } from '../redact';
import { validateXdrBaseUrl } from '../xdr/base-url';
import { XDR_DEFAULT_PACING } from '../xdr/pacing';
import { readXdrTokenInsight, XdrTokenInsight } from '../xdr/permissions';
import { findXdrOperation, xdrOperations } from '../xdr/registry';
import type { XdrOperationDefinition } from '../xdr/types';
import type { ServiceDescriptor } from './descriptor';

export const LEGACY_TOKEN_FOR_XDR = {
  message: 'A legacy MDCA API token cannot call the Defender XDR API.',
  hint: 'Use an Entra app (client secret or certificate) or a user sign-in, with the "Microsoft Threat Protection" permissions (Incident.ReadWrite.All, AdvancedHunting.Read.All for apps; Incident.ReadWrite, AdvancedHunting.Read for users) and admin consent.',
};

/** Audiences Microsoft issues XDR tokens for (the C# sample asks for the older MDE resource). */
function isXdrAudience(audience: string): boolean {
  const a = audience.replace(/\/+$/, '').toLowerCase();
  return a === XDR_RESOURCE || a === 'https://api.securitycenter.microsoft.com' || a.endsWith('.security.microsoft.us');
}

export const XDR_SERVICE: ServiceDescriptor<XdrOperationDefinition, XdrTokenInsight> = {
  id: 'xdr',
  wording: XDR_WORDING,
  baseUrl: validateXdrBaseUrl,
  tokenResource: XDR_RESOURCE,
  defaultBudgetKey: (baseUrl) => `xdr:${new URL(baseUrl).host}`,
  permissions: {
    consentApiName: 'Microsoft Threat Protection',
    userRoleName: 'Defender',
    read: (accessToken) => readXdrTokenInsight(accessToken),
    forKind: (permissions, delegated) => permissions.filter((p) => p.endsWith('.All') !== delegated),
    refuse(token, audience) {
      if (token.scheme !== 'Bearer') return LEGACY_TOKEN_FOR_XDR;
      if (audience === undefined || isXdrAudience(audience)) return undefined;
      return {
        message: `The token is for "${safeServiceMessage(audience).slice(0, 100)}", not for the Defender XDR API (${XDR_RESOURCE}). Nothing was sent.`,
        hint: `Ask Entra ID for scope ${XDR_RESOURCE}/.default (app) or ${XDR_RESOURCE}/Incident.ReadWrite (user).`,
      };
    },
  },
  insight: (token) =>
    (token.scheme === 'Bearer' ? readXdrTokenInsight(token.token) : undefined) ?? {
      service: 'xdr',
      kind: 'application',
      permissions: [],
      otherClaims: [],
      verified: false,
      expiresOnMs: token.expiresOnMs,
    },
  operations: xdrOperations,
  findOperation: findXdrOperation,
  // Hunting queries run up to 3 minutes on the service: 200 s per attempt, 10 minutes in all.
  pipeline: { maxResponseBytes: 50 * 1024 * 1024, longTimeoutMs: 200_000, longDeadlineMs: 10 * 60_000 },
  budget: XDR_DEFAULT_PACING,
};
