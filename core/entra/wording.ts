// How Microsoft Entra ID is named in messages, and the hints for errors its server answered.
import type { ServiceWording } from '../pipeline/wording';

const ENTRA_THROTTLE_LIMITS =
  'Microsoft Graph allows Identity Protection 1 request per second per tenant (all apps together) and directory writes 3,000 per 150 seconds per app and tenant';

export const ENTRA_WORDING: ServiceWording = {
  name: 'Microsoft Entra ID',
  throttleLimits: ENTRA_THROTTLE_LIMITS,
  hints: {
    AUTH_FAILED: 'Check that the token is for this tenant and for Microsoft Graph of the right cloud (graph.microsoft.com, graph.microsoft.us or dod-graph.microsoft.us).',
    PERMISSION_MISSING:
      'Add the Microsoft Graph permission the operation needs (User.Read.All to read users, User.RevokeSessions.All, User.EnableDisableAccount.All with User.Read.All, IdentityRiskyUser.Read.All / IdentityRiskyUser.ReadWrite.All) and grant admin consent; a signed-in user also needs an Entra admin role that allows it. A user who holds an admin role can only be disabled or have sessions revoked by a caller with a more privileged role (Privileged Authentication Administrator). Identity Protection needs Microsoft Entra ID P2.',
    NOT_FOUND: 'Check the user object id or user principal name and that the credential points at the right tenant.',
    THROTTLED: `${ENTRA_THROTTLE_LIMITS}: run it again later.`,
    PROTOCOL_ERROR: 'Check the Microsoft Graph URL (leave it empty for the cloud default) and that no proxy rewrites the traffic.',
    REQUEST_REJECTED: 'Read the service message; check the users against the node reference.',
  },
};
