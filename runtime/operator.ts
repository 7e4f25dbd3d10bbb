// Test hosts (the local emulator) are a decision of whoever starts the host process, never of a
// credential: anyone allowed to edit a shared credential without reading its secret could
// otherwise point it at their own host and receive the secret. The operator enables them with
// environment variables read once, or (Node-RED) in settings.js; in-process hosts such as test
// suites call configureOperatorTesting, which is code the operator runs, not data an editor edits.
import { MdcaConfigurationError } from '../core/errors';
import type { TestingSettings } from './settings';

/** host:port pairs accepted in addition to the Microsoft hosts, e.g. "127.0.0.1:8443,127.0.0.1:9443". */
export const ALLOW_TEST_HOSTS_ENV = 'MDCA_ALLOW_TEST_HOSTS';
/** Identity endpoint of the emulator, e.g. "https://127.0.0.1:9443"; its host:port must be allowed too. */
export const TEST_AUTHORITY_ENV = 'MDCA_TEST_AUTHORITY_HOST';

/** How an operator enables test hosts (Node-RED: settings.js `mdcaLowcode`). */
export interface OperatorTestingOptions {
  allowTestHosts?: string | readonly string[];
  testAuthorityHost?: string;
  /** Extra CA (PEM) for in-process hosts; separate processes use NODE_EXTRA_CA_CERTS instead. */
  testCaPem?: string;
}

let current: TestingSettings | undefined;
let read = false;

function hostList(value: string | readonly string[] | undefined): string[] {
  const items = typeof value === 'string' ? value.split(/[\s,]+/) : [...(value ?? [])];
  return items.map((s) => String(s).trim().toLowerCase()).filter(Boolean);
}

function fromOptions(o: OperatorTestingOptions | undefined): TestingSettings | undefined {
  const allowHosts = hostList(o?.allowTestHosts);
  if (allowHosts.length === 0) return undefined;
  const authorityHost = String(o?.testAuthorityHost ?? '').trim() || undefined;
  const caPem = String(o?.testCaPem ?? '').trim() || undefined;
  return { allowHosts, ...(authorityHost ? { authorityHost } : {}), ...(caPem ? { caPem } : {}) };
}

/** The operator's test hosts, or undefined (the default: Microsoft hosts only). */
export function operatorTesting(): TestingSettings | undefined {
  if (!read) {
    read = true;
    current = fromOptions({ allowTestHosts: process.env[ALLOW_TEST_HOSTS_ENV], testAuthorityHost: process.env[TEST_AUTHORITY_ENV] });
  }
  return current;
}

/**
 * Sets (or with undefined, clears) the test hosts of this process. Only for code the process
 * operator runs: the Node-RED plugin passes settings.js here, test suites their emulator.
 */
export function configureOperatorTesting(options: OperatorTestingOptions | undefined): void {
  read = true;
  current = fromOptions(options);
}

/** What a host says when a credential still carries the removed "local emulator only" fields. */
export const ENABLE_TEST_HOSTS_HINT =
  `Test hosts are now enabled only by whoever starts the process: set ${ALLOW_TEST_HOSTS_ENV}=host:port,host:port ` +
  `(and ${TEST_AUTHORITY_ENV}=https://host:port for the identity endpoint, NODE_EXTRA_CA_CERTS=ca.pem for its certificate) ` +
  'in the environment of n8n or Node-RED (Node-RED: or mdcaLowcode.allowTestHosts in settings.js). For a real tenant, turn the emulator option off.';

/**
 * Old credentials saved allowed hosts, an identity override or a CA of their own. They are never
 * used any more; when the operator has not enabled test hosts they stop the connection with an
 * error that says how to enable them, instead of silently connecting somewhere else.
 */
export function checkLegacyTestingFields(legacy: { allowHosts?: unknown; authorityHost?: unknown; caPem?: unknown }, field: string): void {
  const given = [legacy.allowHosts, legacy.authorityHost, legacy.caPem].some((v) => typeof v === 'string' && v.trim() !== '');
  if (!given || operatorTesting()) return;
  throw new MdcaConfigurationError(
    field,
    'This connection still has "local emulator only" settings (allowed hosts, identity endpoint or CA certificate), which a connection can no longer set.',
    ENABLE_TEST_HOSTS_HINT,
  );
}
