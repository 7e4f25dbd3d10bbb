// The Azure host side of secretless sign-in: the managed identity endpoint of an Azure resource
// (Instance Metadata Service style and App Service style) and the external issuer of federated
// tokens (an AKS cluster's OIDC issuer) whose tokens the token endpoint accepts as client
// assertions from apps with a matching federated credential.
//
// Paths on the identity listener (the tenant segment picks the tenant whose host answers; without
// it, the first tenant's):
//   GET [/{tenant}]/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…   header Metadata: true
//       user-assigned by client_id, object_id or msi_res_id
//   GET [/{tenant}]/msi/token?api-version=2019-08-01&resource=…   header X-IDENTITY-HEADER: <identityHeader>
//       user-assigned by client_id, object_id (or principal_id) or mi_res_id
import { DecodedJwt, JsonObject, signJwt, verifyJwtSignature } from '../jwt';
import { AAD, AadError, aadError } from './errors';
import { findManagedIdentity, IdentityRegistry, ManagedIdentityRegistration, randomToken, AppRegistration } from './registry';
import { isMdeAudience } from '../mde/constants';
import { FEDERATED_SUBJECT, FEDERATED_TOKEN_AUDIENCE, federatedIssuerFor } from '../seed-credentials';

export interface ManagedIdentityRequest {
  style: 'imds' | 'appService';
  tenantName: string;
  query: URLSearchParams;
  headers: { metadata?: string; identityHeader?: string };
}

export interface ManagedIdentityAnswer {
  status: number;
  body: JsonObject;
}

/** Issues an access token for claims; the token service's key and clock (token-service.ts). */
export type IssueToken = (claims: JsonObject) => { token: string; expiresIn: number; expiresOn: number; notBefore: number };

export const MANAGED_IDENTITY_PATHS = { imds: /^(?:\/([^/]+))?\/metadata\/identity\/oauth2\/token\/?$/, appService: /^(?:\/([^/]+))?\/msi\/token\/?$/i };

/** The resources a managed identity token may be for (the token endpoint's audiences). */
export function managedIdentityToken(
  registry: IdentityRegistry,
  request: ManagedIdentityRequest,
  identityHeader: string,
  audiences: readonly string[],
  issue: IssueToken,
): ManagedIdentityAnswer {
  const q = request.query;
  const bad = (status: number, error: string, description: string): ManagedIdentityAnswer =>
    request.style === 'imds' ? { status, body: { error, error_description: description } } : { status, body: { statusCode: status, message: description, correlationId: randomToken(8) } };
  if (request.style === 'imds') {
    if ((request.headers.metadata ?? '').toLowerCase() !== 'true') return bad(400, 'invalid_request', 'Required metadata header not specified');
  } else if (!request.headers.identityHeader || request.headers.identityHeader !== identityHeader) {
    return bad(401, 'unauthorized', 'The X-IDENTITY-HEADER of the request is missing or does not match IDENTITY_HEADER.');
  }
  if (!q.get('api-version')) return bad(400, 'invalid_request', 'Required api-version parameter not specified');
  const resource = (q.get('resource') ?? '').replace(/\/+$/, '');
  if (!resource) return bad(400, 'invalid_request', 'Required audience parameter not specified');
  const resourceIdParam = request.style === 'imds' ? 'msi_res_id' : 'mi_res_id';
  const pick = q.get('client_id') !== null
    ? { clientId: q.get('client_id') ?? '' }
    : q.get('object_id') !== null || q.get('principal_id') !== null
      ? { objectId: q.get('object_id') ?? q.get('principal_id') ?? '' }
      : q.get(resourceIdParam) !== null
        ? { resourceId: q.get(resourceIdParam) ?? '' }
        : { key: 'system' };
  const identity = findManagedIdentity(registry, request.tenantName, pick);
  if (!identity || !identity.assigned) {
    // What IMDS says when the VM has no such identity (or none at all).
    return request.style === 'imds' ? bad(400, 'invalid_request', 'Identity not found') : bad(400, 'invalid_request', 'No Managed Identity found for specified ClientId/ResourceId/PrincipalId.');
  }
  const audience = audiences.find((a) => a.toLowerCase() === resource.toLowerCase());
  if (!audience) return bad(400, 'invalid_resource', `AADSTS500011: The resource principal named ${resource.slice(0, 100)} was not found in the tenant named ${request.tenantName}.`);
  const granted = grantsFor(identity, audience);
  const { token, expiresIn, expiresOn, notBefore } = issue({
    aud: audience,
    iss: `https://sts.windows.net/${identity.tenantId}/`,
    appid: identity.clientId,
    azp: identity.clientId,
    appidacr: '2',
    idtyp: 'app',
    oid: identity.objectId,
    sub: identity.objectId,
    tid: identity.tenantId,
    ...(identity.resourceId ? { xms_mirid: identity.resourceId } : {}),
    roles: granted,
  });
  // Both endpoints send numbers as strings; App Service leaves out expires_in.
  const common = { access_token: token, client_id: identity.clientId, expires_on: String(expiresOn), resource: audience, token_type: 'Bearer' };
  return {
    status: 200,
    body: request.style === 'imds' ? { ...common, expires_in: String(expiresIn), ext_expires_in: String(expiresIn), not_before: String(notBefore) } : common,
  };
}

function grantsFor(identity: ManagedIdentityRegistration, audience: string): string[] {
  if (isMdeAudience(audience)) return [...(identity.mdeRoles ?? [])];
  if (/security\.microsoft|securitycenter/i.test(audience)) return [...identity.xdrRoles];
  if (/graph\.microsoft/i.test(audience)) return [...identity.graphRoles];
  return [...identity.roles];
}

/** A federated token as the platform writes it to AZURE_FEDERATED_TOKEN_FILE (AKS: a service account token). */
export function mintFederatedToken(registry: IdentityRegistry, tenantName: string, nowSec: number, overrides: JsonObject = {}): string {
  return signJwt(
    { kid: registry.federationKey.kid },
    {
      iss: federatedIssuerFor(tenantName),
      sub: FEDERATED_SUBJECT,
      aud: [FEDERATED_TOKEN_AUDIENCE],
      iat: nowSec,
      nbf: nowSec,
      exp: nowSec + 3600,
      jti: randomToken(12),
      ...overrides,
    },
    registry.federationKey.privateKey,
  );
}

/** Entra's checks of a federated client assertion against the app's federated credentials. */
export function verifyFederatedAssertion(registry: IdentityRegistry, app: AppRegistration, jwt: DecodedJwt, nowSec: number): AadError | undefined {
  if (jwt.header.kid !== registry.federationKey.kid || !verifyJwtSignature(jwt, registry.federationKey.publicKey)) {
    return AAD.badAssertion('The signature of the federated token could not be validated with the keys of its issuer.');
  }
  const p = jwt.payload;
  const iss = typeof p.iss === 'string' ? p.iss : '';
  const sub = typeof p.sub === 'string' ? p.sub : '';
  const aud = (Array.isArray(p.aud) ? p.aud : [p.aud]).filter((a): a is string => typeof a === 'string');
  if (typeof p.exp !== 'number' || p.exp <= nowSec || (typeof p.nbf === 'number' && p.nbf > nowSec + 300)) return AAD.expiredAssertion();
  const match = (app.federatedCredentials ?? []).some((f) => f.issuer === iss && f.subject === sub && aud.some((a) => f.audiences.includes(a)));
  if (match) return undefined;
  // Issuer, subject and audience are not secrets; Entra names them so the admin can compare.
  const clip = (v: string) => v.replace(/[^\x20-\x7e]/g, '').slice(0, 120);
  return aadError(
    400,
    'invalid_client',
    70021,
    `No matching federated identity record found for presented assertion. Assertion Issuer: '${clip(iss)}'. Assertion Subject: '${clip(sub)}'. Assertion Audience: '${clip(aud.join(','))}'.`,
  );
}
