// Node-RED node "mdca-graph-alert": every Microsoft Graph security "alert" operation (alerts_v2 of
// every Defender product, Defender for Cloud Apps included: list with filters, get, update,
// comment) from the Graph registry (core/graph/registry.ts), through the connection's Graph client.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-graph-alert', 'alert', 'graph');
};
