// The XDR operation registry uses the MDCA registry's generic definition type
// (core/operations/types.ts) with XDR resources and permission names, plus a `service: 'xdr'`
// marker, so host generators can add it as extra resources next to the MDCA ones and one
// executor runs both.
import type { OperationDefinition, OperationImplementation, OperationExecution } from '../operations/types';
import type { XdrPermissionName } from './permissions';

export type XdrResourceName = 'incident' | 'advancedHunting';

export interface XdrOperationDefinition extends OperationDefinition<XdrResourceName, XdrPermissionName> {
  service: 'xdr';
}

export type XdrOperationExecution = OperationExecution;

export type XdrOperationImplementation = OperationImplementation<XdrOperationDefinition, XdrOperationExecution>;
