// Node-RED node "mdca-xdr-incident": every Defender XDR "incident" operation of the XDR registry
// (list with filters, get, update), through the connection's XDR client.
import type { NodeAPI } from 'node-red';
import { registerOperationNode } from './lib/operation-node';

export = function register(RED: NodeAPI): void {
  registerOperationNode(RED, 'mdca-xdr-incident', 'incident', 'xdr');
};
