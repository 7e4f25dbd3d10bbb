// Where a user grants a missing permission, in the words of the Entra portal: one sentence shared
// by the refusal before a call (core/service-client.ts) and the connection check's locked list
// (core/connection-check/check.ts), so both name the same API ("Microsoft Graph",
// "WindowsDefenderATP"…) and the same kind of permission.
import type { PermissionModel } from './services/descriptor';

export function grantHint(model: Pick<PermissionModel, 'consentApiName' | 'userRoleName'>, delegated: boolean, permissions: readonly string[]): string {
  const kind = delegated ? 'Delegated' : 'Application';
  const what = permissions.length > 1 ? `${kind} permissions ${permissions.join(', ')}` : `${kind} permission ${permissions[0] ?? ''}`;
  return `In Entra ID > App registrations > your app > API permissions > Add a permission > APIs my organization uses > "${model.consentApiName}", add the ${what}, then grant admin consent.${delegated ? ` The signed-in user also needs the matching ${model.userRoleName} role.` : ''}`;
}
