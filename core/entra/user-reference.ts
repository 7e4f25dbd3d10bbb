// A user as given (object id or user principal name) and how Graph takes it in a path
// (docs/entra-users-api.md, "Users"): a plain segment, `#` of a guest's UPN encoded as %23 by the
// segment encoding; a UPN that starts with `$` only in the key form /users('$x@contoso.com'),
// where a quote inside is doubled as OData literals want. The key form's quotes and parentheses
// are the path template's own text: a value's are always encoded (core/pipeline/url.ts).
import { MdcaProtocolError, MdcaValidationError } from '../errors';
import { declaredRequest } from '../operations/declared-request';
import type { OperationExecution, OperationInput } from '../operations/types';
import type { RequestSpec } from '../pipeline';
import type { ResolvedTarget } from '../response';
import type { EntraOperationImplementation } from './types';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longest UPN Entra ID allows is 113 characters; ids are 36. Anything much longer is a mistake. */
const MAX_USER_LENGTH = 320;

export const isObjectId = (value: string): boolean => GUID.test(value);

/** The properties every user read asks for: accountEnabled and the sessions' date only come with $select. */
export const USER_SELECT = 'id,userPrincipalName,displayName,mail,accountEnabled,userType,signInSessionsValidFromDateTime,onPremisesSyncEnabled,createdDateTime';

export const userInput: OperationInput = {
  name: 'user',
  displayName: 'User',
  type: 'string',
  required: true,
  maxLength: MAX_USER_LENGTH,
  placeholder: 'adele.vance@contoso.com',
  description: 'The user: object id (e.g. 5f6c7a3e-…) or user principal name (e.g. adele.vance@contoso.com; a guest’s …#EXT#@… works as shown).',
};

export const usersInput: OperationInput = {
  name: 'users',
  displayName: 'Users',
  type: 'stringList',
  required: true,
  placeholder: 'adele.vance@contoso.com',
  description: 'One user (object id or user principal name) or a list of them (comma-separated or an array), at most 100 per run; each gets its own record.',
};

export const recordedCommentInput: OperationInput = {
  name: 'comment',
  displayName: 'Comment',
  type: 'string',
  group: 'options',
  maxLength: 1_000,
  description: 'Recorded in the output only (Microsoft Entra ID keeps no comment for this action): why it was done, a ticket number.',
};

/** Checks one user reference, naming the input it came from. */
export function checkUserReference(value: string, field: string): string {
  const user = value.trim();
  if (user === '' || user.length > MAX_USER_LENGTH || /[\s/\\?]/.test(user)) {
    throw new MdcaValidationError(field, `"${user.slice(0, 60)}" is not a user object id or user principal name.`, 'Give the object id (a GUID) or the user principal name (name@domain), one per entry.');
  }
  return user;
}

/** The values the user paths take: the plain segment, or the inside of the key form's quoted literal. */
export function userPathValues(user: string): { user: string; userKey: string } {
  return { user, userKey: user.replace(/'/g, "''") };
}

/**
 * The read of one user through the operation's declared calls: `byId`/`byKey` name the steps
 * (undefined: the operation's main call). A UPN starting with `$` goes by the key form.
 */
export function userReadRequest(impl: EntraOperationImplementation, user: string, steps: { byId?: string; byKey: string }): RequestSpec {
  const values = userPathValues(user);
  const step = user.startsWith('$') ? steps.byKey : steps.byId;
  // A read expects JSON even where the action's own answer is empty (expect 'none').
  return declaredRequest(impl, values, step === undefined ? { expect: 'json' } : { step, expect: 'json' });
}

export interface EntraUser {
  id: string;
  userPrincipalName?: string;
  displayName?: string;
  accountEnabled?: boolean | null;
  [key: string]: unknown;
}

/** Reads a user with USER_SELECT: its id and name for the record, its state for `before`. */
export async function readUser(exec: OperationExecution, impl: EntraOperationImplementation, user: string, steps: { byId?: string; byKey: string }): Promise<EntraUser> {
  const data = (await exec.pipeline.send(userReadRequest(impl, user, steps), exec.ctx)).data as EntraUser | null;
  if (!data || typeof data.id !== 'string') throw new MdcaProtocolError(`Microsoft Entra ID answered the read of "${user.slice(0, 60)}" without an id.`, 'Check that the Microsoft Graph URL points at Microsoft Graph.');
  return data;
}

/** The id and name a user action's record carries, and the user as read. */
export async function resolveUser(exec: OperationExecution, impl: EntraOperationImplementation, target: string): Promise<ResolvedTarget> {
  const user = await readUser(exec, impl, checkUserReference(target, 'users'), { byId: 'read', byKey: 'readByKey' });
  return { targetId: user.id, ...(user.userPrincipalName ? { targetName: user.userPrincipalName } : {}), state: user };
}

/** The declared user read steps of an action (their access is read; only the action writes). */
export const userReadSteps = (path: string) => ({
  read: { method: 'GET' as const, path: `${path}/{user}?$select=${USER_SELECT}`, access: 'read' as const },
  readByKey: { method: 'GET' as const, path: `${path}('{userKey}')?$select=${USER_SELECT}`, access: 'read' as const },
});

