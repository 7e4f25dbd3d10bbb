// Deterministic registrations seeded into every emulated tenant. These values exist only for the
// emulator: they are not secrets of any real tenant and are safe to commit and print.
import { createHash } from 'crypto';
import { MDCA_PERMISSION_NAMES, MDCA_RESOURCE_APP_ID } from '../core/service-constants';

// Microsoft's names (the MDCA resource app id and its permissions) are facts about the service, not
// the emulator's choice: they come from the one dependency-free module that spells them.
export { MDCA_RESOURCE_APP_ID };
export const MDCA_PERMISSIONS = MDCA_PERMISSION_NAMES;
export type MdcaPermission = (typeof MDCA_PERMISSIONS)[number];

/** GUID derived from a label so every run and every process agrees on it. */
export function deterministicGuid(label: string): string {
  const h = createHash('sha256').update(`mdca-emulator:${label}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const tenantIdFor = (tenantName: string): string => deterministicGuid(`tenant:${tenantName}`);

export const EMULATOR_APP_FULL = { key: 'full', displayName: 'MDCA automation (full)', clientSecret: 'emulator-only-secret-full~NOT-A-REAL-SECRET' } as const;
export const EMULATOR_APP_READER = { key: 'reader', displayName: 'MDCA automation (reader)', clientSecret: 'emulator-only-secret-reader~NOT-A-REAL-SECRET' } as const;
export const EMULATOR_APP_CERT = { key: 'cert', displayName: 'MDCA automation (certificate)' } as const;
export const EMULATOR_APP_PUBLIC = { key: 'public', displayName: 'MDCA low-code (public client)' } as const;

export const EMULATOR_USER_PASSWORD = 'emulator-only-Passw0rd!';
export const EMULATOR_USER_ANALYST = { key: 'analyst', displayName: 'Alex Analyst', password: EMULATOR_USER_PASSWORD } as const;
export const EMULATOR_USER_READER = { key: 'reader', displayName: 'Riley Reader', password: EMULATOR_USER_PASSWORD } as const;

export const clientIdFor = (tenantName: string, appKey: string): string => deterministicGuid(`app:${tenantName}:${appKey}`);
export const usernameFor = (tenantName: string, userKey: string): string => `${userKey}@${tenantName}.example`;
export const userOidFor = (tenantName: string, userKey: string): string => deterministicGuid(`user:${tenantName}:${userKey}`);

/** Legacy API tokens (documented format `^[0-9a-zA-Z=]{64,192}$`), deterministic per tenant. */
function legacyToken(tenantName: string, kind: string): string {
  const h = createHash('sha512').update(`mdca-emulator-legacy:${tenantName}:${kind}`).digest('base64').replace(/[^0-9a-zA-Z]/g, '');
  return `EMU${kind.toUpperCase()}${h}`.slice(0, 72);
}
export const EMULATOR_LEGACY_TOKEN_KINDS = ['full', 'readonly', 'deprovisioned'] as const;
export type LegacyTokenKind = (typeof EMULATOR_LEGACY_TOKEN_KINDS)[number];
export const legacyTokenFor = (tenantName: string, kind: LegacyTokenKind): string => legacyToken(tenantName, kind);

export const DEFAULT_TENANT_NAME = 'contoso';

/**
 * Secretless sign-in (runtime/azure-identity.ts): the managed identities of the tenant's emulated
 * Azure host and the app that trusts a federated token (workload identity). The host has its
 * system-assigned identity and two user-assigned ones: "automation" with every permission, "reader"
 * with only Investigation.read (and the read permissions of XDR and Graph).
 */
export const EMULATOR_APP_WORKLOAD = { key: 'workload', displayName: 'MDCA automation (workload identity)' } as const;
export const FEDERATED_TOKEN_AUDIENCE = 'api://AzureADTokenExchange';
export const FEDERATED_SUBJECT = 'system:serviceaccount:automation:mdca-lowcode';
export const federatedIssuerFor = (tenantName: string): string => `https://oidc.emulator.invalid/${tenantName}/`;
export const MANAGED_IDENTITY_KEYS = ['system', 'automation', 'reader'] as const;
export type ManagedIdentityKey = (typeof MANAGED_IDENTITY_KEYS)[number];
export interface SeededManagedIdentity {
  clientId: string;
  objectId: string;
  /** Only user-assigned identities have one. */
  resourceId?: string;
}
function managedIdentity(tenantName: string, key: ManagedIdentityKey): SeededManagedIdentity {
  const resourceId =
    key === 'system' ? undefined : `/subscriptions/${deterministicGuid(`subscription:${tenantName}`)}/resourceGroups/mdca-automation/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${tenantName}-${key}`;
  return { clientId: deterministicGuid(`mi:${tenantName}:${key}:client`), objectId: deterministicGuid(`mi:${tenantName}:${key}:object`), ...(resourceId ? { resourceId } : {}) };
}

export interface SeededTenantCredentials {
  tenantName: string;
  tenantId: string;
  apps: {
    full: { clientId: string; clientSecret: string };
    reader: { clientId: string; clientSecret: string };
    cert: { clientId: string };
    public: { clientId: string };
    workload: { clientId: string };
  };
  managedIdentities: Record<ManagedIdentityKey, SeededManagedIdentity>;
  /** The federated credential of the workload app: what a federated token must carry. */
  federation: { issuer: string; subject: string; audience: string };
  users: {
    analyst: { username: string; password: string; oid: string };
    reader: { username: string; password: string; oid: string };
  };
  legacyTokens: { full: string; readonly: string; deprovisioned: string };
}

/** Everything about a tenant's seeded registrations except the per-run certificate. */
export function seededCredentials(tenantName: string): SeededTenantCredentials {
  return {
    tenantName,
    tenantId: tenantIdFor(tenantName),
    apps: {
      full: { clientId: clientIdFor(tenantName, 'full'), clientSecret: EMULATOR_APP_FULL.clientSecret },
      reader: { clientId: clientIdFor(tenantName, 'reader'), clientSecret: EMULATOR_APP_READER.clientSecret },
      cert: { clientId: clientIdFor(tenantName, 'cert') },
      public: { clientId: clientIdFor(tenantName, 'public') },
      workload: { clientId: clientIdFor(tenantName, EMULATOR_APP_WORKLOAD.key) },
    },
    managedIdentities: { system: managedIdentity(tenantName, 'system'), automation: managedIdentity(tenantName, 'automation'), reader: managedIdentity(tenantName, 'reader') },
    federation: { issuer: federatedIssuerFor(tenantName), subject: FEDERATED_SUBJECT, audience: FEDERATED_TOKEN_AUDIENCE },
    users: {
      analyst: { username: usernameFor(tenantName, 'analyst'), password: EMULATOR_USER_PASSWORD, oid: userOidFor(tenantName, 'analyst') },
      reader: { username: usernameFor(tenantName, 'reader'), password: EMULATOR_USER_PASSWORD, oid: userOidFor(tenantName, 'reader') },
    },
    legacyTokens: {
      full: legacyTokenFor(tenantName, 'full'),
      readonly: legacyTokenFor(tenantName, 'readonly'),
      deprovisioned: legacyTokenFor(tenantName, 'deprovisioned'),
    },
  };
}

/** The default tenant's credentials, for tests and the demo. */
export const CONTOSO = seededCredentials(DEFAULT_TENANT_NAME);
