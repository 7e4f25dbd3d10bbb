// What the reference pages are rendered from: each service's resources, operations and permission
// names, read from its registry (core/operations for MDCA, core/xdr for Defender XDR, core/graph for
// Microsoft Graph security). A parameter
// of the renderers with the real registries as default, so a test can hand in a copy with an extra
// operation and see it reach the pages with no other change (test/core/throwaway-operation.test.ts).
import { entraOperations, entraPermissionNames, entraResourceDefinitions, graphOperations, graphPermissionNames, graphResourceDefinitions, operations, permissionNames, resourceDefinitions, xdrOperations, xdrPermissionNames, xdrResourceDefinitions } from '../../core';
import { mdeOperations, mdePermissionNames, mdeResourceDefinitions } from '../../core';
import type { AnyOperationDefinition } from '../../core';

export interface ReferenceService {
  /** The section heading of the service on the permissions page. */
  title: string;
  /** How its resources are headed on the operations page (MDCA keeps the bare resource name). */
  resourceHeading(displayName: string): string;
  /** What the permissions page says about granting the service's permissions. */
  permissionIntro: string;
  /** What an operation with no documented permission needs instead. */
  anyToken: string;
  permissionNames: readonly string[];
  resources: readonly { name: string; displayName: string; description: string }[];
  operations: readonly AnyOperationDefinition[];
}

export interface ReferenceSource {
  services: readonly ReferenceService[];
}

export const MDCA_REFERENCE: ReferenceService = {
  title: 'Defender for Cloud Apps',
  resourceHeading: (displayName) => displayName,
  permissionIntro:
    'MDCA application permissions (app context, `roles` claim) and delegated permissions (user context, `scp` claim) have the same six names. Add them in Entra ID under **API permissions > Add a permission > APIs my organization uses > "Microsoft Cloud App Security"**, then grant admin consent. An operation needs **any one** of the permissions listed for it. Legacy API tokens carry the rights of the user who created them; the service decides.',
  anyToken: 'any MDCA token',
  permissionNames,
  resources: resourceDefinitions,
  operations,
};

export const XDR_REFERENCE: ReferenceService = {
  title: 'Defender XDR',
  resourceHeading: (displayName) => `Defender XDR ${displayName}`,
  permissionIntro:
    'Defender XDR application permissions (app context, `roles` claim) end in `.All`; the delegated permissions (user context, `scp` claim) have the same names without it, and a user also needs the matching Defender role. Add them in Entra ID under **API permissions > Add a permission > APIs my organization uses > "Microsoft Threat Protection"**, then grant admin consent. An operation needs **any one** of the permissions listed for it. A legacy MDCA API token cannot call Defender XDR.',
  anyToken: 'any Defender XDR token',
  permissionNames: xdrPermissionNames,
  resources: xdrResourceDefinitions,
  operations: xdrOperations,
};

export const GRAPH_REFERENCE: ReferenceService = {
  title: 'Microsoft Graph security',
  resourceHeading: (displayName) => `Microsoft Graph ${displayName}`,
  permissionIntro:
    'Microsoft Graph security permissions have the same names for applications (app context, `roles` claim) and users (user context, `scp` claim); a user also needs an Entra security role (Security Reader to read, Security Operator or Security Administrator to write). Add them in Entra ID under **API permissions > Add a permission > Microsoft Graph**, then grant admin consent (step by step, with the Azure CLI and the admin consent link: [app context](../setup-app-context.md#microsoft-graph-security-add-the-graph-permissions), [user context](../setup-user-context.md#microsoft-graph-security-delegated)). An operation needs **any one** of the permissions listed for it. A legacy MDCA API token cannot call Microsoft Graph. The contract these operations follow is [docs/graph-security-api.md](../graph-security-api.md).',
  anyToken: 'any Microsoft Graph token',
  permissionNames: graphPermissionNames,
  resources: graphResourceDefinitions,
  operations: graphOperations,
};

export const ENTRA_REFERENCE: ReferenceService = {
  title: 'Microsoft Entra ID',
  resourceHeading: (displayName) => `Entra ID ${displayName}`,
  permissionIntro:
    'Microsoft Entra ID users and Identity Protection are called through Microsoft Graph with the same token as Graph security; the permissions have the same names for applications (app context, `roles` claim) and users (user context, `scp` claim). Add them in Entra ID under **API permissions > Add a permission > Microsoft Graph**, then grant admin consent. An operation needs **any one** of the permissions listed for it; disabling and enabling with User.EnableDisableAccount.All also needs User.Read.All (the account is read first), and a user principal name given to a risky-user action needs User.Read.All to be resolved. A signed-in user also needs an Entra admin role that allows the action, and only a caller with a more privileged admin role may disable an admin or revoke their sessions. Identity Protection needs Microsoft Entra ID P2. A legacy MDCA API token cannot call Microsoft Graph. The contract these operations follow is [docs/entra-users-api.md](../entra-users-api.md).',
  anyToken: 'any Microsoft Graph token',
  permissionNames: entraPermissionNames,
  resources: entraResourceDefinitions,
  operations: entraOperations,
};

export const MDE_REFERENCE: ReferenceService = {
  title: 'Microsoft Defender for Endpoint',
  resourceHeading: (displayName) => `Defender for Endpoint ${displayName}`,
  permissionIntro:
    'Defender for Endpoint application permissions (app context, `roles` claim) read machines with `Machine.Read.All` (or `Machine.ReadWrite.All`); the delegated permissions (user context, `scp` claim) read with `Machine.Read` (or `Machine.ReadWrite`). The action permissions (`Machine.Isolate`, `Machine.Scan`, `Machine.CollectForensics`, `Machine.RestrictExecution`) have one name for both; a user also needs the Defender role (View Data to read, Active remediation actions to act, Alerts investigation to collect a package) and access to the machine\'s device group. Add them in Entra ID under **API permissions > Add a permission > APIs my organization uses**, typing **WindowsDefenderATP** (it is not listed until typed), then grant admin consent. An operation needs **any one** of the permissions listed for it; the response actions also read the machine\'s actions first (Machine.Read.All) to find one already running. A legacy MDCA API token cannot call Defender for Endpoint. The contract these operations follow is [docs/defender-endpoint-api.md](../defender-endpoint-api.md).',
  anyToken: 'any Defender for Endpoint token',
  permissionNames: mdePermissionNames,
  resources: mdeResourceDefinitions,
  operations: mdeOperations,
};

export const REFERENCE_SOURCE: ReferenceSource = { services: [MDCA_REFERENCE, XDR_REFERENCE, GRAPH_REFERENCE, ENTRA_REFERENCE, MDE_REFERENCE] };
