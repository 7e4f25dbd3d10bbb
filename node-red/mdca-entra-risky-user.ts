// Node-RED node "mdca-entra-risky-user": every Identity Protection "riskyUser" operation (get the
// user risk; confirm compromised and dismiss as response actions) from the Entra registry
// (core/entra/registry.ts), through the connection's Entra ID client.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-entra-risky-user', 'riskyUser', 'entra');
};
