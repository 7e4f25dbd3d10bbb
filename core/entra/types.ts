// The Microsoft Entra ID users and Identity Protection registry uses the generic operation
// definition (core/operations/types.ts) with its own resources and permission names, plus a
// `service: 'entra'` marker, like the Graph security one (core/graph/types.ts).
import type { OperationDefinition, OperationExecution, OperationImplementation } from '../operations/types';
import type { EntraPermissionName } from './permissions';

export type EntraResourceName = 'user' | 'riskyUser';

export interface EntraOperationDefinition extends OperationDefinition<EntraResourceName, EntraPermissionName> {
  service: 'entra';
}

export type EntraOperationImplementation = OperationImplementation<EntraOperationDefinition, OperationExecution>;

/** Users and Identity Protection under the Graph root (docs/entra-users-api.md). */
export const USERS_PATH = '/v1.0/users';
export const RISKY_USERS_PATH = '/v1.0/identityProtection/riskyUsers';
