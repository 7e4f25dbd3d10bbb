// Node-RED node "mdca-alert": every "alert" operation of the core registry.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-alert', 'alert');
};
