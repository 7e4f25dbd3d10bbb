// Node-RED node "mdca-ip-range": every "ipRange" operation of the core registry.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-ip-range', 'ipRange');
};
