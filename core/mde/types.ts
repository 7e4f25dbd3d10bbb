// The Defender for Endpoint registry uses the generic operation definition
// (core/operations/types.ts) with MDE resources and permission names, plus a `service: 'mde'`
// marker, like Defender XDR's (core/xdr/types.ts) and Graph's (core/graph/types.ts).
import type { OperationDefinition, OperationExecution, OperationImplementation } from '../operations/types';
import type { MdePermissionName } from './permissions';

export type MdeResourceName = 'machine' | 'machineAction';

export interface MdeOperationDefinition extends OperationDefinition<MdeResourceName, MdePermissionName> {
  service: 'mde';
}

export type MdeOperationImplementation = OperationImplementation<MdeOperationDefinition, OperationExecution>;

/** Every MDE path starts with /api (docs/defender-endpoint-api.md, "Hosts"). */
export const MACHINES_PATH = '/api/machines';
export const MACHINE_ACTIONS_PATH = '/api/machineactions';
