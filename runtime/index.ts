// Node.js implementations of the core's ports, shared by the n8n and Node-RED adapters.
export * from './settings';
export * from './timers';
export * from './axios-transport';
export * from './proxy-settings';
export * from './proxy-tunnel';
export * from './token-providers';
export * from './registry';
export * from './create-client';
export * from './create-xdr-client';
export * from './create-service-client';
export * from './service-pacer';
export * from './azure-identity';
