// Node-RED node "mdca-mde-machine": every Defender for Endpoint "machine" operation (get, find,
// list; isolate, release, antivirus scan, investigation package, app restriction as response
// actions) from the MDE registry (core/mde/registry.ts), through the connection's MDE client.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-mde-machine', 'machine', 'mde');
};
