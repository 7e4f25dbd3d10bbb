// Checks of the two secretless sign-in kinds (managed identity, workload identity federation).
// Where a token comes from is the host process's environment, set by Azure or by whoever starts
// n8n / Node-RED: a credential names at most which identity (a user-assigned id) or which app and
// tenant, never an endpoint or a file, so an editor of a shared credential cannot point it
// elsewhere.
import { MdcaConfigurationError } from '../core/errors';
import type { AuthSettings, ManagedIdentityKind } from './settings';

/** Set by AKS workload identity (and by operators elsewhere): the file holding the federated token. */
export const FEDERATED_TOKEN_FILE_ENV = 'AZURE_FEDERATED_TOKEN_FILE';
/** Defaults for the app and the directory of a workload identity, set by AKS workload identity. */
export const AZURE_CLIENT_ID_ENV = 'AZURE_CLIENT_ID';
export const AZURE_TENANT_ID_ENV = 'AZURE_TENANT_ID';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const RESOURCE_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourcegroups\/[^/]{1,90}\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]{1,128}$/i;
const IDENTITY_KINDS: readonly ManagedIdentityKind[] = ['system', 'clientId', 'resourceId', 'objectId'];

const ID_HINTS: Record<Exclude<ManagedIdentityKind, 'system'>, string> = {
  clientId: 'Copy the Client ID from the user-assigned managed identity\'s Overview in the Azure portal (a GUID).',
  objectId: 'Copy the Object (principal) ID from the user-assigned managed identity\'s Overview in the Azure portal (a GUID).',
  resourceId: 'Copy the Resource ID from the user-assigned managed identity\'s Properties: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.',
};

type AzureIdentity = Extract<AuthSettings, { kind: 'managedIdentity' | 'workloadIdentity' }>;

export function validateAzureIdentity(auth: AzureIdentity): AzureIdentity {
  if (auth.kind === 'managedIdentity') {
    const identity = (auth.identity ?? 'system') as ManagedIdentityKind;
    if (!IDENTITY_KINDS.includes(identity)) {
      throw new MdcaConfigurationError('managedIdentity', `Unknown managed identity type "${String(identity).slice(0, 40)}".`, 'Choose system-assigned, or user-assigned by client id, resource id or object id.');
    }
    if (identity === 'system') return { kind: 'managedIdentity', identity };
    const id = typeof auth.identityId === 'string' ? auth.identityId.trim() : '';
    if (!id) throw new MdcaConfigurationError('managedIdentityId', 'The id of the user-assigned managed identity is required.', ID_HINTS[identity]);
    const valid = identity === 'resourceId' ? RESOURCE_ID.test(id) : GUID.test(id);
    if (!valid) throw new MdcaConfigurationError('managedIdentityId', `The managed identity's ${identity === 'resourceId' ? 'resource id' : identity === 'clientId' ? 'client id' : 'object id'} has the wrong format.`, ID_HINTS[identity]);
    return { kind: 'managedIdentity', identity, identityId: id };
  }
  const tenantId = (auth.tenantId ?? '').trim() || (process.env[AZURE_TENANT_ID_ENV] ?? '').trim();
  const clientId = (auth.clientId ?? '').trim() || (process.env[AZURE_CLIENT_ID_ENV] ?? '').trim();
  if (!tenantId) throw new MdcaConfigurationError('tenantId', 'The Directory (tenant) ID is required.', `Enter it, or set ${AZURE_TENANT_ID_ENV} in the environment of n8n or Node-RED (AKS workload identity sets it).`);
  if (!GUID.test(tenantId) && !TENANT_DOMAIN.test(tenantId)) throw new MdcaConfigurationError('tenantId', 'The Directory (tenant) ID must be a GUID or a domain such as contoso.onmicrosoft.com.', `Copy it from Entra ID > Overview (or check ${AZURE_TENANT_ID_ENV}).`);
  if (!clientId) throw new MdcaConfigurationError('clientId', 'The Application (client) ID is required.', `Enter the client id of the app registration (or user-assigned identity) that trusts the federated token, or set ${AZURE_CLIENT_ID_ENV} in the environment of n8n or Node-RED.`);
  if (!GUID.test(clientId)) throw new MdcaConfigurationError('clientId', 'The Application (client) ID must be a GUID.', `Copy it from Entra ID > App registrations > your app > Overview (or check ${AZURE_CLIENT_ID_ENV}).`);
  const file = (process.env[FEDERATED_TOKEN_FILE_ENV] ?? '').trim();
  if (!file) {
    throw new MdcaConfigurationError(
      FEDERATED_TOKEN_FILE_ENV,
      `${FEDERATED_TOKEN_FILE_ENV} is not set in the environment of this process.`,
      `Workload identity reads the federated token from the file ${FEDERATED_TOKEN_FILE_ENV} names. On AKS, label the pod azure.workload.identity/use: "true" and give it a service account annotated with the client id; elsewhere set ${FEDERATED_TOKEN_FILE_ENV} where n8n or Node-RED is started.`,
    );
  }
  return { kind: 'workloadIdentity', tenantId, clientId };
}
