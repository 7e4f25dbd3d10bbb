// Node-RED node "mdca-mde-machine-action": every Defender for Endpoint "machineAction" operation
// (get, list, investigation package link, wait for completion) from the MDE registry
// (core/mde/registry.ts), through the connection's MDE client.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-mde-machine-action', 'machineAction', 'mde');
};
