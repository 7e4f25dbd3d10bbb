// Compact JWS (RFC 7515) signing and verification for access/id tokens and client assertions.
import { constants, createHash, KeyObject, sign, verify } from 'crypto';

export type JsonObject = Record<string, unknown>;

export const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
export const fromBase64url = (s: string): Buffer => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

export function signJwt(header: JsonObject, payload: JsonObject, privateKey: KeyObject): string {
  const input = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', ...header }))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${base64url(sign('sha256', Buffer.from(input), privateKey))}`;
}

export interface DecodedJwt {
  header: JsonObject;
  payload: JsonObject;
  signingInput: Buffer;
  signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(fromBase64url(parts[0]).toString('utf8')) as unknown;
    const payload = JSON.parse(fromBase64url(parts[1]).toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload, signingInput: Buffer.from(`${parts[0]}.${parts[1]}`), signature: fromBase64url(parts[2]) };
  } catch {
    return undefined;
  }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RS256 and PS256 only: the algorithms msal-node uses for certificate assertions. */
export function verifyJwtSignature(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  try {
    if (jwt.header.alg === 'RS256') return verify('sha256', jwt.signingInput, publicKey, jwt.signature);
    if (jwt.header.alg === 'PS256') {
      return verify('sha256', jwt.signingInput, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, jwt.signature);
    }
    return false;
  } catch {
    return false;
  }
}

export const sha256 = (data: string | Buffer): Buffer => createHash('sha256').update(data).digest();
