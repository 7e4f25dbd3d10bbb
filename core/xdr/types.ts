// The XDR operation registry has the MDCA registry's shape (core/operations/types.ts), with a
// `service: 'xdr'` marker, XDR resources and XDR permission names, so host generators can add it
// as extra resources next to the MDCA ones.
import type { OperationDefinition, OperationImplementation, OperationExecution, OperationInputValues, OperationOutcome } from '../operations/types';
import type { XdrPermissionName } from './permissions';

export type XdrResourceName = 'incident' | 'advancedHunting';

export interface XdrOperationDefinition extends Omit<OperationDefinition, 'resource' | 'permissions'> {
  service: 'xdr';
  resource: XdrResourceName;
  /** Any one of these unlocks the operation (app roles or delegated scopes). */
  permissions: readonly XdrPermissionName[];
}

export interface XdrOperationImplementation extends Omit<OperationImplementation, 'definition' | 'run'> {
  definition: XdrOperationDefinition;
  run(exec: XdrOperationExecution, input: OperationInputValues): Promise<OperationOutcome> | OperationOutcome;
}

export interface XdrOperationExecution extends OperationExecution {
  /** The pipeline for advanced hunting: a longer per-attempt timeout (queries run up to 3 minutes). */
  huntingPipeline: OperationExecution['pipeline'];
}
