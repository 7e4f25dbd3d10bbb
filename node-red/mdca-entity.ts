// Node-RED node "mdca-entity": every "entity" operation of the core registry.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-entity', 'entity');
};
