// The Microsoft Graph security registry uses the generic operation definition
// (core/operations/types.ts) with Graph resources and permission names, plus a `service: 'graph'`
// marker, like Defender XDR's (core/xdr/types.ts).
import type { OperationDefinition, OperationExecution, OperationImplementation } from '../operations/types';
import type { GraphPermissionName } from './permissions';

export type GraphResourceName = 'alert' | 'incident' | 'huntingQuery';

export interface GraphOperationDefinition extends OperationDefinition<GraphResourceName, GraphPermissionName> {
  service: 'graph';
}

export type GraphOperationImplementation = OperationImplementation<GraphOperationDefinition, OperationExecution>;

/** Where the security API lives under the Graph root (the v1.0 pages of docs/graph-security-api.md). */
export const GRAPH_SECURITY_PATH = '/v1.0/security';
