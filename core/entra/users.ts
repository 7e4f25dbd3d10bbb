// Entra ID users (docs/entra-users-api.md, "Users"): get one by object id or UPN, and the three
// containment actions on a list of users, each through the shared response runner
// (core/response): revoke sign-in sessions, disable and enable the account. Each target is read
// first (its id and name for the record; a missing user is "not found" before anything is
// written); disable and enable send nothing when the account already is in that state.
import type { MdcaError } from '../errors';
import { declaredRequest } from '../operations/declared-request';
import type { OperationInputValues } from '../operations/types';
import { dryRunInput, ResolvedTarget, ResponseActionSpec, runResponseAction, STOPPING_CODES } from '../response';
import { ENTRA_PERMISSIONS } from './permissions';
import { checkUserReference, EntraUser, recordedCommentInput, resolveUser, USER_SELECT, userInput, userPathValues, userReadRequest, userReadSteps, usersInput } from './user-reference';
import { EntraOperationImplementation, USERS_PATH } from './types';

/**
 * Entra ID answers 403 for one target and not the next (an admin user needs a more privileged
 * caller), so a 403 fails only its own target; a missing permission is named before sending.
 */
export const stopsEveryUser = (error: MdcaError): boolean => error.code !== 'PERMISSION_MISSING' && STOPPING_CODES.has(error.code);

const actionInputs = [usersInput, recordedCommentInput, dryRunInput];
const commentOf = (input: OperationInputValues): string | undefined => (typeof input.comment === 'string' && input.comment.trim() !== '' ? input.comment : undefined);

const getUser: EntraOperationImplementation = {
  definition: {
    service: 'entra',
    resource: 'user',
    operation: 'get',
    id: 'user.get',
    displayName: 'Get',
    action: 'Get a user',
    description: `Fetches one user by object id or user principal name, with ${USER_SELECT.split(',').join(', ')}.`,
    permissions: ENTRA_PERMISSIONS.userRead,
    access: 'read',
    http: { method: 'GET', path: `${USERS_PATH}/{user}?$select=${USER_SELECT}` },
    steps: { byKey: userReadSteps(USERS_PATH).readByKey },
    paging: 'none',
    output: 'item',
    inputs: [userInput],
  },
  async run(exec, input) {
    const data = (await exec.pipeline.send(userReadRequest(getUser, checkUserReference(String(input.user), 'user'), { byKey: 'byKey' }), exec.ctx)).data;
    return { kind: 'item', item: data };
  },
};

/** A user action: read, then (unless already so, or a dry run) the write by the user's object id. */
function userAction(impl: EntraOperationImplementation, options: { doneOutcome: string; already?: (user: EntraUser) => { outcome: string; message: string } | undefined; note?: string }): ResponseActionSpec {
  return {
    action: impl.definition.id,
    targetKind: 'user',
    targetsInput: 'users',
    doneOutcome: options.doneOutcome,
    comment: commentOf,
    stops: stopsEveryUser,
    resolve: (exec, target) => resolveUser(exec, impl, target),
    request: (target, input, resolved?: ResolvedTarget) => declaredRequest(impl, { ...input, ...userPathValues(resolved?.targetId ?? target) }),
    async before(_exec, _target, _input, resolved) {
      const already = options.already?.(resolved?.state as EntraUser);
      return already;
    },
    done: () => (options.note ? { message: options.note } : {}),
  };
}

function userActionImpl(operation: string, displayName: string, action: string, description: string, permissions: EntraOperationImplementation['definition']['permissions'], http: EntraOperationImplementation['definition']['http'], body?: (input: OperationInputValues) => unknown): EntraOperationImplementation {
  return {
    definition: {
      service: 'entra',
      resource: 'user',
      operation,
      id: `user.${operation}`,
      displayName,
      action,
      description,
      permissions,
      access: 'nonIdempotentWrite',
      http,
      steps: userReadSteps(USERS_PATH),
      callText: `GET ${USERS_PATH}/{user}?$select=… (the user's id, name and state), then ${http.method} ${http.path.replace('{user}', '{id}')}`,
      paging: 'none',
      output: 'perItem',
      inputs: actionInputs,
    },
    request: { body, expect: 'none', priority: 'interactive' },
  };
}

const revokeSessions = userActionImpl(
  'revokeSessions',
  'Revoke Sessions',
  'Revoke the sign-in sessions of users',
  'Invalidates every refresh token and browser session cookie of each user (signInSessionsValidFromDateTime becomes now): the user must sign in again. Takes up to a few minutes to reach every app; does nothing for guests’ sessions in their home tenant.',
  ENTRA_PERMISSIONS.revokeSessions,
  { method: 'POST', path: `${USERS_PATH}/{user}/revokeSignInSessions` },
);
revokeSessions.run = (exec, input) => runResponseAction(userAction(revokeSessions, { doneOutcome: 'sessionsRevoked' }), exec, input);

const disable = userActionImpl(
  'disable',
  'Disable',
  'Disable user accounts',
  'Blocks sign-in of each user (accountEnabled false). A user already disabled is reported "alreadyDisabled" and nothing is sent. Existing sessions stay valid until they are revoked: run Revoke Sessions too. An app needs User.EnableDisableAccount.All together with User.Read.All (or User.ReadWrite.All); disabling an admin needs a caller with a more privileged admin role.',
  ENTRA_PERMISSIONS.enableDisable,
  { method: 'PATCH', path: `${USERS_PATH}/{user}` },
  () => ({ accountEnabled: false }),
);
disable.run = (exec, input) =>
  runResponseAction(
    userAction(disable, {
      doneOutcome: 'disabled',
      already: (u) => (u.accountEnabled === false ? { outcome: 'alreadyDisabled', message: 'The account was already disabled: nothing was sent.' } : undefined),
      note: 'Sign-in is blocked; existing sessions stay valid until they are revoked (Revoke Sessions).',
    }),
    exec,
    input,
  );

const enable = userActionImpl(
  'enable',
  'Enable',
  'Enable user accounts',
  'Allows sign-in of each user again (accountEnabled true). A user already enabled is reported "alreadyEnabled" and nothing is sent. Same permissions as Disable.',
  ENTRA_PERMISSIONS.enableDisable,
  { method: 'PATCH', path: `${USERS_PATH}/{user}` },
  () => ({ accountEnabled: true }),
);
enable.run = (exec, input) =>
  runResponseAction(
    userAction(enable, { doneOutcome: 'enabled', already: (u) => (u.accountEnabled === true ? { outcome: 'alreadyEnabled', message: 'The account was already enabled: nothing was sent.' } : undefined) }),
    exec,
    input,
  );

export const userOperations: EntraOperationImplementation[] = [getUser, revokeSessions, disable, enable];
