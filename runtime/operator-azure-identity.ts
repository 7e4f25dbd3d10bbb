// Managed identity and workload identity sign in as the host itself: no secret is needed, so
// anyone who may create a credential in n8n (or a connection in Node-RED) could otherwise act
// with the rights Azure gave the host for something else, and with workload identity exchange
// the host's federated token for any app that trusts it. Whoever starts the process decides:
// MDCA_ALLOW_AZURE_IDENTITY ("true" for any identity of this host, or a list of the client ids
// / object ids / resource ids allowed, "system" for the system-assigned one), or in Node-RED
// settings.js `mdcaLowcode.allowAzureIdentity`.
import { MdcaConfigurationError } from '../core/errors';

export const ALLOW_AZURE_IDENTITY_ENV = 'MDCA_ALLOW_AZURE_IDENTITY';

/** undefined: off (the default); 'any'; or the allowed identity ids in lower case. */
type Allowed = 'any' | readonly string[] | undefined;

let current: Allowed;
let read = false;

function parse(value: unknown): Allowed {
  if (value === true) return 'any';
  if (Array.isArray(value)) return parse(value.join(','));
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0' || v === 'off') return undefined;
  if (v === 'true' || v === '1' || v === 'on' || v === '*' || v === 'any') return 'any';
  const ids = v.split(/[\s,]+/).filter(Boolean);
  return ids.length ? ids : undefined;
}

function allowed(): Allowed {
  if (!read) {
    read = true;
    current = parse(process.env[ALLOW_AZURE_IDENTITY_ENV]);
  }
  return current;
}

/** Sets (or with undefined, clears) the switch for this process: Node-RED's settings.js, test suites. */
export function configureOperatorAzureIdentity(value: unknown): void {
  read = true;
  current = parse(value);
}

const ENABLE_HINT =
  `Managed identity and workload identity are enabled only by whoever starts n8n or Node-RED: set ${ALLOW_AZURE_IDENTITY_ENV}=true ` +
  '(or a comma-separated list of the allowed client ids, object ids or resource ids, "system" for the system-assigned identity) ' +
  'in its environment, or mdcaLowcode.allowAzureIdentity in Node-RED\'s settings.js.';

/** Refuses an Azure identity sign-in the operator has not allowed; `id` is the identity or app it would use. */
export function requireAzureIdentityAllowed(id: string, field: string): void {
  const a = allowed();
  if (a === 'any') return;
  if (a === undefined) {
    throw new MdcaConfigurationError(field, 'Signing in as this host\'s Azure identity is not enabled on this n8n or Node-RED.', ENABLE_HINT);
  }
  if (!a.includes(id.toLowerCase())) {
    throw new MdcaConfigurationError(field, 'This identity is not among the ones the operator of this n8n or Node-RED allowed.', `Use an allowed identity, or ask whoever runs it to add this one to ${ALLOW_AZURE_IDENTITY_ENV}.`);
  }
}
