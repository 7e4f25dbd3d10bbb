// Node-RED node "mdca-graph-hunting": Microsoft Graph security hunting queries (KQL through
// runHuntingQuery) from the Graph registry (core/graph/registry.ts), through the connection's Graph
// client.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-graph-hunting', 'huntingQuery', 'graph');
};
