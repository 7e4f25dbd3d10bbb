// OpenID Connect discovery documents and JWKS, all pointing back at the identity listener.
import { IdentityRegistry } from './registry';
import { JsonObject } from '../jwt';

export function openIdConfiguration(base: string, tenantSegment: string, tenantId: string, version: 'v1' | 'v2'): JsonObject {
  const t = tenantSegment;
  const v2 = version === 'v2';
  return {
    token_endpoint: `${base}/${t}/oauth2/${v2 ? 'v2.0/' : ''}token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${t}/discovery/${v2 ? 'v2.0/' : ''}keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? `${base}/${tenantId}/v2.0` : `https://sts.windows.net/${tenantId}/`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/${t}/openid/userinfo`,
    authorization_endpoint: `${base}/${t}/oauth2/${v2 ? 'v2.0/' : ''}authorize`,
    device_authorization_endpoint: `${base}/${t}/oauth2/${v2 ? 'v2.0/' : ''}devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${t}/oauth2/${v2 ? 'v2.0/' : ''}logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid', 'email'],
    kerberos_endpoint: `${base}/${t}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'emulator.invalid',
    cloud_graph_host_name: 'graph.emulator.invalid',
    msgraph_host: 'graph.emulator.invalid',
    rbac_url: 'https://pas.emulator.invalid',
  };
}

export function jwks(registry: IdentityRegistry): JsonObject {
  const jwk = registry.signingKey.publicKey.export({ format: 'jwk' });
  return { keys: [{ kty: 'RSA', use: 'sig', kid: registry.signingKey.kid, x5t: registry.signingKey.kid, n: jwk.n, e: jwk.e, issuer: 'https://sts.windows.net/{tenantid}/' }] };
}

/** Instance-discovery answer for clients that ask before trusting the host. */
export function instanceDiscovery(base: string, host: string): JsonObject {
  return {
    tenant_discovery_endpoint: `${base}/common/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
