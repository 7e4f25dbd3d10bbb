// The connection check (identity, grants, locked operations, every read once): one implementation
// for the n8n operation, the Node-RED button and the check-tenant command.
export * from './check';
export * from './render';
export { SAMPLE_INPUTS, sampleInputs, hasSampleInputs } from './sample-inputs';
export { EMULATOR_KEY_PROFILE } from './emulator-profile';
export { CHECK_READ_POLICY, notRunReason } from './read-policy';
