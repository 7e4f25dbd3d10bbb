// Node-RED node "mdca-xdr-hunting": Defender XDR advanced hunting (KQL) from the XDR registry,
// through the connection's XDR client.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-xdr-hunting', 'advancedHunting', 'xdr');
};
