// Node-RED node "mdca-graph-incident": every Microsoft Graph security "incident" operation (list
// with filters, get, update, comment) from the Graph registry (core/graph/registry.ts), through the
// connection's Graph client.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-graph-incident', 'incident', 'graph');
};
