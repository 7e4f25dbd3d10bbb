// Entra ID error bodies: `{error, error_description, error_codes, timestamp, trace_id, correlation_id}`.
// Descriptions are fixed texts plus identifiers; they never echo secrets, passwords or assertions.
import { randomUUID } from 'crypto';

export interface AadError {
  status: number;
  body: {
    error: string;
    error_description: string;
    error_codes: number[];
    timestamp: string;
    trace_id: string;
    correlation_id: string;
    error_uri: string;
  };
}

export function aadError(status: number, error: string, code: number, message: string, correlationId?: string): AadError {
  const now = new Date();
  const timestamp = now.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
  const traceId = randomUUID();
  const correlation = correlationId && /^[0-9a-f-]{36}$/i.test(correlationId) ? correlationId : randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export const AAD = {
  unknownTenant: (tenant: string) =>
    aadError(400, 'invalid_request', 90002, `Tenant '${tenant.slice(0, 64)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
  unknownClient: (clientId: string, tenantId: string) =>
    aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId.slice(0, 64)}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`),
  invalidSecret: (clientId: string) =>
    aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`),
  missingClientAuth: () =>
    aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  publicClientSecret: () =>
    aadError(401, 'invalid_client', 700025, 'Client is public so neither \'client_assertion\' nor \'client_secret\' should be presented.'),
  expiredAssertion: () => aadError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.'),
  badAssertionSignature: (clientId: string) =>
    aadError(401, 'invalid_client', 700027, `Client assertion failed signature validation. (Reason - The key was not found., Thumbprint of key used by client: unknown, Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.)`),
  badAssertion: (detail: string) => aadError(401, 'invalid_client', 50027, `JWT token is invalid or malformed. ${detail}`),
  assertionAudience: () => aadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation. (Reason - The audience claim does not match the token endpoint.)'),
  missingParameter: (name: string) => aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrant: () => aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'),
  invalidScope: (scope: string) => aadError(400, 'invalid_scope', 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope.slice(0, 200)} is not valid.`),
  unknownResource: (resource: string, tenantName: string) =>
    aadError(400, 'invalid_resource', 500011, `The resource principal named ${resource.slice(0, 100)} was not found in the tenant named ${tenantName}.`),
  wrongPassword: () => aadError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.'),
  unknownUser: () => aadError(400, 'invalid_grant', 50034, 'The user account does not exist in this directory.'),
  notPublicClient: () => aadError(400, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  badRefreshToken: () => aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  expiredRefreshToken: () => aadError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.'),
  authorizationPending: () => aadError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.'),
  expiredDeviceCode: () => aadError(400, 'expired_token', 70020, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'),
  declinedDeviceCode: () => aadError(400, 'authorization_declined', 70019, 'The end user denied the authorization request.'),
  badDeviceCode: () => aadError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.'),
  throttled: () => aadError(429, 'temporarily_unavailable', 50196, 'The server terminated an operation because it encountered a client request loop.'),
  serverError: () => aadError(500, 'server_error', 90033, 'A transient error has occurred. Please try again.'),
};
