// Who a response action was done as: the app or user a token names. Read from its claims without
// verifying them (the service checks the token; this only labels the record), never the token.
import type { AccessToken } from '../ports';
import { readTokenInsight } from '../permissions';
import type { ResponseActor } from './types';

export function actorOf(token: AccessToken): ResponseActor {
  if (token.scheme !== 'Bearer') return { kind: 'legacy' };
  const claims = readTokenInsight(token.token);
  if (!claims) return { kind: 'unknown' };
  const actor: ResponseActor = { kind: claims.kind };
  if (claims.appId) actor.appId = claims.appId;
  if (claims.userPrincipalName) actor.userPrincipalName = claims.userPrincipalName;
  if (claims.tenantId) actor.tenantId = claims.tenantId;
  return actor;
}
