// Microsoft Entra ID users and Identity Protection as a service the core can call: the same Graph
// root and token resource as Graph security (core/services/graph.ts), its own permission model
// over the directory and Identity Protection names, and its own budget, keyed by tenant: the
// strictest family it calls, Identity Protection, allows 1 request per second per tenant for all
// apps together. The contract it follows is docs/entra-users-api.md.
import { graphTokenResource, validateGraphBaseUrl } from '../graph/base-url';
import { EntraTokenInsight, readEntraTokenInsight } from '../entra/permissions';
import { entraOperations, findEntraOperation } from '../entra/registry';
import type { EntraOperationDefinition } from '../entra/types';
import { ENTRA_WORDING } from '../entra/wording';
import { GRAPH_RESOURCE } from '../service-constants';
import type { ServiceDescriptor } from './descriptor';
import { GRAPH_SERVICE } from './graph';

export const LEGACY_TOKEN_FOR_ENTRA = {
  message: 'A legacy MDCA API token cannot call Microsoft Entra ID (Microsoft Graph).',
  hint: 'Use an Entra app (client secret or certificate) or a user sign-in with the Microsoft Graph permissions User.Read.All, User.RevokeSessions.All, User.EnableDisableAccount.All and IdentityRiskyUser.ReadWrite.All, and admin consent.',
};

export const ENTRA_SERVICE: ServiceDescriptor<EntraOperationDefinition, EntraTokenInsight> = {
  id: 'entra',
  wording: ENTRA_WORDING,
  baseUrl: validateGraphBaseUrl,
  tokenResource: GRAPH_RESOURCE,
  tokenResourceFor: graphTokenResource,
  defaultBudgetKey: (baseUrl) => `entra:${new URL(baseUrl).host}`,
  permissions: {
    consentApiName: 'Microsoft Graph',
    userRoleName: 'Microsoft Entra admin (Security Administrator for Identity Protection; User Administrator or Privileged Authentication Administrator for accounts and sessions)',
    read: (accessToken) => readEntraTokenInsight(accessToken),
    // Graph's permission names are the same for applications and users.
    forKind: (permissions) => permissions,
    refuse(token, audience) {
      if (token.scheme !== 'Bearer') return LEGACY_TOKEN_FOR_ENTRA;
      // Same audience rule as Graph security: one token serves both.
      const refused = GRAPH_SERVICE.permissions.refuse?.(token, audience);
      return refused && { message: refused.message.replace('Microsoft Graph', 'Microsoft Graph (Microsoft Entra ID)'), hint: refused.hint };
    },
  },
  insight: (token) =>
    (token.scheme === 'Bearer' ? readEntraTokenInsight(token.token) : undefined) ?? {
      service: 'entra',
      kind: 'application',
      permissions: [],
      otherClaims: [],
      verified: false,
      expiresOnMs: token.expiresOnMs,
    },
  operations: entraOperations,
  findOperation: findEntraOperation,
  pipeline: { maxResponseBytes: 5 * 1024 * 1024 },
  // Identity Protection: 1 request per second per tenant for all apps; 50 per minute leaves room.
  budget: { perMinute: 50 },
};
