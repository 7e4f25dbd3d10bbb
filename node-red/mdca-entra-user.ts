// Node-RED node "mdca-entra-user": every Microsoft Entra ID "user" operation (get a user; revoke
// sign-in sessions, disable and enable the account as response actions) from the Entra registry
// (core/entra/registry.ts), through the connection's Entra ID client.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-entra-user', 'user', 'entra');
};
