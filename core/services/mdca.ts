// Microsoft Defender for Cloud Apps as a service the core can call: each tenant has its own API
// host under the cloud's portal domains, tokens are for Microsoft's "Microsoft Cloud App Security"
// app, a legacy API token carries its creator's rights (the server decides), and the discovery
// log upload goes to the storage URL the service hands out.
import { MDCA_RESOURCE_APP_ID, validateApiBaseUrl } from '../clouds';
import { findOperation, operations } from '../operations';
import type { OperationDefinition } from '../operations/types';
import { MDCA_WORDING } from '../pipeline/wording';
import { readTokenInsight, TokenInsight } from '../permissions';
import type { ServiceDescriptor } from './descriptor';

export const MDCA_SERVICE: ServiceDescriptor<OperationDefinition, TokenInsight> = {
  id: 'mdca',
  wording: MDCA_WORDING,
  baseUrl: (apiUrl, cloud, testing) => validateApiBaseUrl(apiUrl ?? '', cloud, testing),
  tokenResource: MDCA_RESOURCE_APP_ID,
  permissions: {
    consentApiName: 'Microsoft Cloud App Security',
    userRoleName: 'MDCA',
    read: (accessToken) => readTokenInsight(accessToken),
    // The same six names exist as application and as delegated permissions.
    forKind: (permissions) => permissions,
  },
  insight: (token) =>
    (token.scheme === 'Bearer' ? readTokenInsight(token.token) : undefined) ?? {
      kind: 'legacy',
      permissions: [],
      otherClaims: [],
      verified: false,
      expiresOnMs: token.expiresOnMs,
    },
  operations,
  findOperation,
  pipeline: { maxResponseBytes: 25 * 1024 * 1024 },
  // MDCA allows 30 requests per minute per tenant, shared by every integration (docs/troubleshooting.md).
  budget: { perMinute: 28 },
  uploadHostSuffixes: ['.blob.core.windows.net', '.blob.core.usgovcloudapi.net', '.amazonaws.com'],
};

