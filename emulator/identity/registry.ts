// App registrations, users, legacy API tokens and the token-signing key of all emulated tenants.
import { generateKeyPairSync, KeyObject, randomBytes } from 'crypto';
import { ClientCertificate, createClientCertificate } from '../tls';
import { base64url, sha256 } from '../jwt';
import {
  EMULATOR_APP_CERT,
  EMULATOR_APP_FULL,
  EMULATOR_APP_PUBLIC,
  EMULATOR_APP_READER,
  EMULATOR_APP_WORKLOAD,
  ManagedIdentityKey,
  EMULATOR_USER_ANALYST,
  EMULATOR_USER_READER,
  LegacyTokenKind,
  MDCA_PERMISSIONS,
  seededCredentials,
} from '../seed-credentials';
import { XDR_SEEDED_DELEGATED, XDR_SEEDED_ROLES, XDR_USER_RIGHTS } from '../xdr/constants';
import { GRAPH_SEEDED_DELEGATED, GRAPH_SEEDED_ROLES, GRAPH_USER_RIGHTS } from '../graph/constants';
import { MDE_SEEDED_DELEGATED, MDE_SEEDED_ROLES, MDE_USER_RIGHTS } from '../mde/constants';

export interface AppRegistration {
  tenantName: string;
  tenantId: string;
  clientId: string;
  key: string;
  displayName: string;
  kind: 'confidential' | 'public';
  clientSecret?: string;
  certificate?: ClientCertificate;
  /** application permissions (→ `roles`) */
  roles: string[];
  /** delegated permissions granted to the app (→ `scp`) */
  delegated: string[];
  /** Defender XDR application / delegated permissions (tokens for XDR_AUDIENCE). */
  xdrRoles?: string[];
  xdrDelegated?: string[];
  /** Microsoft Graph security application / delegated permissions (tokens for GRAPH_AUDIENCE). */
  graphRoles?: string[];
  graphDelegated?: string[];
  /** Defender for Endpoint application / delegated permissions (tokens for the MDE audiences). */
  mdeRoles?: string[];
  mdeDelegated?: string[];
  /** Workload identity federation: tokens of these issuers and subjects stand in for a secret. */
  federatedCredentials?: { issuer: string; subject: string; audiences: string[] }[];
}
/** A managed identity of the tenant's emulated Azure host (emulator/identity/managed-identity.ts). */
export interface ManagedIdentityRegistration {
  tenantName: string;
  tenantId: string;
  key: ManagedIdentityKey;
  clientId: string;
  objectId: string;
  resourceId?: string;
  /** Assigned to the host: the endpoint hands out tokens for it (system-assigned: turned on). */
  assigned: boolean;
  roles: string[];
  xdrRoles: string[];
  graphRoles: string[];
  mdeRoles?: string[];
}
export interface UserRegistration {
  tenantName: string;
  tenantId: string;
  username: string;
  password: string;
  oid: string;
  displayName: string;
  /** MDCA portal rights of the user; delegated tokens are limited to these at the API. */
  permissions: string[];
  /** Defender XDR rights of the user (delegated XDR tokens are limited to these). */
  xdrPermissions?: string[];
  /** Graph security rights of the user (their Entra security role; delegated Graph tokens are limited to these). */
  graphPermissions?: string[];
  /** Defender for Endpoint rights of the user (their MDE role; delegated MDE tokens are limited to these). */
  mdePermissions?: string[];
}
export interface LegacyToken {
  tenantName: string;
  kind: LegacyTokenKind;
  permissions: string[];
}
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const ALL = [...MDCA_PERMISSIONS];
const READ_ONLY = ['Investigation.read', 'Discovery.read', 'Settings.read'];

export class IdentityRegistry {
  readonly tenantsByName = new Map<string, { name: string; tenantId: string }>();
  readonly apps = new Map<string, AppRegistration>();
  readonly users = new Map<string, UserRegistration>();
  readonly legacyTokens = new Map<string, LegacyToken>();
  readonly managedIdentities = new Map<string, ManagedIdentityRegistration>();
  readonly signingKey: SigningKey;
  /** The key of the emulated external issuer (an AKS cluster's OIDC issuer) of federated tokens. */
  readonly federationKey: SigningKey;

  constructor() {
    this.signingKey = newSigningKey();
    this.federationKey = newSigningKey();
  }

  addTenant(name: string): void {
    const creds = seededCredentials(name);
    const tenantId = creds.tenantId;
    this.tenantsByName.set(name, { name, tenantId });
    const base = { tenantName: name, tenantId };
    const add = (app: AppRegistration): void => void this.apps.set(app.clientId, {
        ...app,
        xdrRoles: XDR_SEEDED_ROLES[app.key] ?? [],
        xdrDelegated: XDR_SEEDED_DELEGATED[app.key] ?? [],
        graphRoles: GRAPH_SEEDED_ROLES[app.key] ?? [],
        graphDelegated: GRAPH_SEEDED_DELEGATED[app.key] ?? [],
        mdeRoles: MDE_SEEDED_ROLES[app.key] ?? [],
        mdeDelegated: MDE_SEEDED_DELEGATED[app.key] ?? [],
      });
    add({ ...base, clientId: creds.apps.full.clientId, key: EMULATOR_APP_FULL.key, displayName: EMULATOR_APP_FULL.displayName, kind: 'confidential', clientSecret: EMULATOR_APP_FULL.clientSecret, roles: ALL, delegated: ALL });
    add({ ...base, clientId: creds.apps.reader.clientId, key: EMULATOR_APP_READER.key, displayName: EMULATOR_APP_READER.displayName, kind: 'confidential', clientSecret: EMULATOR_APP_READER.clientSecret, roles: ['Investigation.read'], delegated: ['Investigation.read'] });
    add({ ...base, clientId: creds.apps.cert.clientId, key: EMULATOR_APP_CERT.key, displayName: EMULATOR_APP_CERT.displayName, kind: 'confidential', certificate: createClientCertificate(`${name} MDCA automation`), roles: ALL, delegated: ALL });
    add({
      ...base,
      clientId: creds.apps.workload.clientId,
      key: EMULATOR_APP_WORKLOAD.key,
      displayName: EMULATOR_APP_WORKLOAD.displayName,
      kind: 'confidential',
      roles: ALL,
      delegated: [],
      federatedCredentials: [{ issuer: creds.federation.issuer, subject: creds.federation.subject, audiences: [creds.federation.audience] }],
    });
    // Same grants as the full app for the other APIs (the seeds are keyed by app).
    const workload = this.apps.get(creds.apps.workload.clientId);
    if (workload) Object.assign(workload, { xdrRoles: XDR_SEEDED_ROLES.full, graphRoles: GRAPH_SEEDED_ROLES.full });
    for (const [key, mi] of Object.entries(creds.managedIdentities) as [ManagedIdentityKey, (typeof creds.managedIdentities)[ManagedIdentityKey]][]) {
      const grants = key === 'reader' ? 'reader' : 'full';
      this.managedIdentities.set(mi.clientId, {
        ...base,
        key,
        ...mi,
        assigned: true,
        roles: key === 'reader' ? ['Investigation.read'] : ALL,
        xdrRoles: XDR_SEEDED_ROLES[grants] ?? [],
        graphRoles: GRAPH_SEEDED_ROLES[grants] ?? [],
        mdeRoles: MDE_SEEDED_ROLES[grants] ?? [],
      });
    }
    add({ ...base, clientId: creds.apps.public.clientId, key: EMULATOR_APP_PUBLIC.key, displayName: EMULATOR_APP_PUBLIC.displayName, kind: 'public', roles: [], delegated: ALL });
    const user = (u: { key: string; displayName: string; password: string }, oid: string, username: string, permissions: string[]): void =>
      void this.users.set(username.toLowerCase(), { ...base, username, password: u.password, oid, displayName: u.displayName, permissions, xdrPermissions: XDR_USER_RIGHTS[u.key] ?? [], graphPermissions: GRAPH_USER_RIGHTS[u.key] ?? [], mdePermissions: MDE_USER_RIGHTS[u.key] ?? [] });
    user(EMULATOR_USER_ANALYST, creds.users.analyst.oid, creds.users.analyst.username, ALL);
    user(EMULATOR_USER_READER, creds.users.reader.oid, creds.users.reader.username, READ_ONLY);
    this.legacyTokens.set(creds.legacyTokens.full, { tenantName: name, kind: 'full', permissions: ALL });
    this.legacyTokens.set(creds.legacyTokens.readonly, { tenantName: name, kind: 'readonly', permissions: READ_ONLY });
    this.legacyTokens.set(creds.legacyTokens.deprovisioned, { tenantName: name, kind: 'deprovisioned', permissions: [] });
  }

  /** `{tenant}` in an Entra path may be the GUID or, in the emulator, the tenant name. */
  findTenant(idOrName: string): { name: string; tenantId: string } | undefined {
    const lower = idOrName.toLowerCase();
    for (const t of this.tenantsByName.values()) if (t.tenantId === lower || t.name.toLowerCase() === lower) return t;
    return undefined;
  }

  userByOid(oid: string): UserRegistration | undefined {
    for (const u of this.users.values()) if (u.oid === oid) return u;
    return undefined;
  }

  appByKey(tenantName: string, key: string): AppRegistration | undefined {
    for (const a of this.apps.values()) if (a.tenantName === tenantName && a.key === key) return a;
    return undefined;
  }
}

/** A managed identity of a tenant's host, by its key or by any of its ids. */
export function findManagedIdentity(registry: IdentityRegistry, tenantName: string, pick: { key?: string; clientId?: string; objectId?: string; resourceId?: string }): ManagedIdentityRegistration | undefined {
  for (const mi of registry.managedIdentities.values()) {
    if (mi.tenantName !== tenantName) continue;
    if (pick.clientId !== undefined) {
      if (mi.clientId === pick.clientId.toLowerCase()) return mi;
    } else if (pick.objectId !== undefined) {
      if (mi.objectId === pick.objectId.toLowerCase()) return mi;
    } else if (pick.resourceId !== undefined) {
      if (mi.resourceId?.toLowerCase() === pick.resourceId.toLowerCase()) return mi;
    } else if (mi.key === (pick.key ?? 'system')) return mi;
  }
  return undefined;
}

function newSigningKey(): SigningKey {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = pair.publicKey.export({ format: 'jwk' });
  return { kid: base64url(sha256(String(jwk.n))).slice(0, 27), privateKey: pair.privateKey, publicKey: pair.publicKey };
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
