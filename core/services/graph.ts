// Microsoft Graph security as a service the core can call: one Graph root per cloud shared by
// every tenant (so its budget is keyed by tenant), tokens for that root, the same permission names
// for apps (roles) and users (scp), hunting queries that run for minutes, no legacy MDCA tokens.
// The contract it follows is docs/graph-security-api.md.
import { GRAPH_WORDING } from '../pipeline/wording';
import { safeServiceMessage } from '../redact';
import { GRAPH_APP_ID, GRAPH_CHINA_HOST, GRAPH_DOD_HOST, GRAPH_RESOURCE } from '../service-constants';
import { clouds } from '../clouds';
import { graphTokenResource, validateGraphBaseUrl } from '../graph/base-url';
import { GraphTokenInsight, readGraphTokenInsight } from '../graph/permissions';
import { findGraphOperation, graphOperations } from '../graph/registry';
import type { GraphOperationDefinition } from '../graph/types';
import type { ServiceDescriptor } from './descriptor';

export const LEGACY_TOKEN_FOR_GRAPH = {
  message: 'A legacy MDCA API token cannot call Microsoft Graph.',
  hint: 'Use an Entra app (client secret or certificate) or a user sign-in with the Microsoft Graph permissions SecurityAlert.ReadWrite.All, SecurityIncident.ReadWrite.All and ThreatHunting.Read.All (the .Read.All ones to only read), and admin consent.',
};

const GRAPH_AUDIENCES = new Set([GRAPH_APP_ID, GRAPH_CHINA_HOST, GRAPH_DOD_HOST, ...Object.values(clouds).map((c) => c.graphApiHost)]);

/** Audiences Graph tokens carry: a Graph root, or Graph's application id. */
function isGraphAudience(audience: string): boolean {
  return GRAPH_AUDIENCES.has(audience.replace(/\/+$/, '').toLowerCase());
}

export const GRAPH_SERVICE: ServiceDescriptor<GraphOperationDefinition, GraphTokenInsight> = {
  id: 'graph',
  wording: GRAPH_WORDING,
  baseUrl: validateGraphBaseUrl,
  tokenResource: GRAPH_RESOURCE,
  tokenResourceFor: graphTokenResource,
  defaultBudgetKey: (baseUrl) => `graph:${new URL(baseUrl).host}`,
  permissions: {
    consentApiName: 'Microsoft Graph',
    userRoleName: 'Microsoft Entra (Security Reader, Security Operator or Security Administrator)',
    read: (accessToken) => readGraphTokenInsight(accessToken),
    // Graph's permission names are the same for applications and users.
    forKind: (permissions) => permissions,
    refuse(token, audience) {
      if (token.scheme !== 'Bearer') return LEGACY_TOKEN_FOR_GRAPH;
      if (audience === undefined || isGraphAudience(audience)) return undefined;
      return {
        message: `The token is for "${safeServiceMessage(audience).slice(0, 100)}", not for Microsoft Graph. Nothing was sent.`,
        hint: `Ask Entra ID for scope ${GRAPH_RESOURCE}/.default (the Graph root of your cloud) for an app, or for the Graph permissions by name for a user.`,
      };
    },
  },
  insight: (token) =>
    (token.scheme === 'Bearer' ? readGraphTokenInsight(token.token) : undefined) ?? {
      service: 'graph',
      kind: 'application',
      permissions: [],
      otherClaims: [],
      verified: false,
      expiresOnMs: token.expiresOnMs,
    },
  operations: graphOperations,
  findOperation: findGraphOperation,
  // Hunting queries run up to 3 minutes on the service: 200 s per attempt, 10 minutes in all.
  // Evolvable enum members (microsoftSentinel, awaitingAction…) come back only with the Prefer header.
  pipeline: { maxResponseBytes: 50 * 1024 * 1024, longTimeoutMs: 200_000, longDeadlineMs: 10 * 60_000, headers: { prefer: 'include-unknown-enum-members' } },
  // Graph allows 150 security requests per minute per app and tenant; 140 leaves room for others.
  budget: { perMinute: 140 },
};
