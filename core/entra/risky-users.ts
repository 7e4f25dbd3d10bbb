// Identity Protection risky users (docs/entra-users-api.md, "Risky users"): get one, confirm
// compromised, dismiss the risk, through the shared response runner (core/response). The service
// takes object ids only: a UPN is resolved to the id first (a user read, so it needs User.Read.All
// too). Each user's risk is read before the action: already confirmed or already without risk is
// reported unchanged and nothing is sent. One request per user (the call takes up to 60 ids), so
// each user has its own truthful record.
import { MdcaNotFoundError } from '../errors';
import { declaredRequest } from '../operations/declared-request';
import type { OperationExecution, OperationInputValues } from '../operations/types';
import { dryRunInput, RecordFields, ResolvedTarget, ResponseActionSpec, runResponseAction } from '../response';
import { ENTRA_PERMISSIONS } from './permissions';
import { checkUserReference, isObjectId, recordedCommentInput, resolveUser, userInput, userPathValues, userReadSteps, usersInput } from './user-reference';
import { EntraOperationImplementation, RISKY_USERS_PATH, USERS_PATH } from './types';

export interface RiskyUser {
  id: string;
  userPrincipalName?: string;
  riskLevel?: string;
  riskState?: string;
  riskDetail?: string;
  [key: string]: unknown;
}

const steps = { ...userReadSteps(USERS_PATH), riskState: { method: 'GET' as const, path: `${RISKY_USERS_PATH}/{user}`, access: 'read' as const } };
const UPN_NOTE = 'A user principal name is resolved to the object id first, which needs User.Read.All besides.';

/** The object id of a user as given: itself, or read by UPN. */
async function resolveRiskTarget(exec: OperationExecution, impl: EntraOperationImplementation, target: string, field: string): Promise<ResolvedTarget> {
  const user = checkUserReference(target, field);
  return isObjectId(user) ? { targetId: user.toLowerCase() } : resolveUser(exec, impl, user);
}

/** The user's risk record, or undefined where Identity Protection has none (never at risk). */
async function readRisk(exec: OperationExecution, impl: EntraOperationImplementation, userId: string): Promise<RiskyUser | undefined> {
  try {
    return (await exec.pipeline.send(declaredRequest(impl, userPathValues(userId), { step: 'riskState', expect: 'json' }), exec.ctx)).data as RiskyUser;
  } catch (error) {
    if (error instanceof MdcaNotFoundError) return undefined;
    throw error;
  }
}

const getRiskyUser: EntraOperationImplementation = {
  definition: {
    service: 'entra',
    resource: 'riskyUser',
    operation: 'get',
    id: 'riskyUser.get',
    displayName: 'Get',
    action: 'Get a risky user',
    description: `Fetches the Identity Protection risk of one user: riskLevel, riskState, riskDetail, riskLastUpdatedDateTime. ${UPN_NOTE} Needs Microsoft Entra ID P2.`,
    permissions: ENTRA_PERMISSIONS.riskRead,
    access: 'read',
    http: { method: 'GET', path: `${RISKY_USERS_PATH}/{user}` },
    steps: userReadSteps(USERS_PATH),
    callText: `GET ${RISKY_USERS_PATH}/{id} (a user principal name is first read as GET ${USERS_PATH}/{user}?$select=… for its id)`,
    paging: 'none',
    output: 'item',
    inputs: [{ ...userInput, description: `The user: object id, or user principal name. ${UPN_NOTE}` }],
  },
  async run(exec, input) {
    const { targetId } = await resolveRiskTarget(exec, getRiskyUser, String(input.user), 'user');
    const data = (await exec.pipeline.send(declaredRequest(getRiskyUser, userPathValues(targetId ?? String(input.user))), exec.ctx)).data;
    return { kind: 'item', item: data };
  },
};

function riskAction(operation: string, displayName: string, action: string, description: string): EntraOperationImplementation {
  return {
    definition: {
      service: 'entra',
      resource: 'riskyUser',
      operation,
      id: `riskyUser.${operation}`,
      displayName,
      action,
      description: `${description} ${UPN_NOTE} Needs Microsoft Entra ID P2; a signed-in user needs the Security Administrator role.`,
      permissions: ENTRA_PERMISSIONS.riskWrite,
      access: 'nonIdempotentWrite',
      http: { method: 'POST', path: `${RISKY_USERS_PATH}/${operation}` },
      steps,
      callText: `GET ${RISKY_USERS_PATH}/{id} (the current risk), then POST ${RISKY_USERS_PATH}/${operation} {"userIds": ["{id}"]}`,
      paging: 'none',
      output: 'perItem',
      inputs: [usersInput, recordedCommentInput, dryRunInput],
    },
    request: { expect: 'none', priority: 'interactive' },
  };
}

function riskSpec(impl: EntraOperationImplementation, doneOutcome: string, already: (risk: RiskyUser | undefined) => RecordFields | undefined): ResponseActionSpec {
  return {
    action: impl.definition.id,
    targetKind: 'user',
    targetsInput: 'users',
    doneOutcome,
    comment: (input: OperationInputValues) => (typeof input.comment === 'string' && input.comment.trim() !== '' ? input.comment : undefined),
    resolve: (exec, target) => resolveRiskTarget(exec, impl, target, 'users'),
    request: (target, _input, resolved) => declaredRequest(impl, {}, { json: { userIds: [resolved?.targetId ?? target] } }),
    async before(exec, target, _input, resolved) {
      const risk = await readRisk(exec, impl, resolved?.targetId ?? target);
      const name: RecordFields = risk?.userPrincipalName ? { targetName: risk.userPrincipalName } : {};
      const state = risk ? { riskLevel: risk.riskLevel, riskState: risk.riskState } : {};
      const unchanged = already(risk);
      return unchanged ? { ...name, ...unchanged, ...state } : { proceed: name };
    },
  };
}

const confirmCompromised = riskAction('confirmCompromised', 'Confirm Compromised', 'Confirm users compromised', 'Marks each user as compromised in Identity Protection: the user risk becomes high (and risk-based Conditional Access policies apply). A user already confirmed compromised is reported "alreadyConfirmedCompromised" and nothing is sent.');
confirmCompromised.run = (exec, input) =>
  runResponseAction(
    riskSpec(confirmCompromised, 'confirmedCompromised', (risk) =>
      risk?.riskState === 'confirmedCompromised' ? { outcome: 'alreadyConfirmedCompromised', message: 'The user was already confirmed compromised: nothing was sent.' } : undefined,
    ),
    exec,
    input,
  );

const dismiss = riskAction('dismiss', 'Dismiss Risk', 'Dismiss the risk of users', 'Dismisses the user risk of each user in Identity Protection (risk level none, state dismissed). A user with no risk (level none, or already dismissed, or never at risk) is reported "alreadyDismissed" and nothing is sent.');
dismiss.run = (exec, input) =>
  runResponseAction(
    riskSpec(dismiss, 'riskDismissed', (risk) => {
      if (!risk) return { outcome: 'alreadyDismissed', message: 'Identity Protection has no risk record for this user: nothing to dismiss, nothing was sent.' };
      if (risk.riskState === 'dismissed' || risk.riskLevel === 'none') return { outcome: 'alreadyDismissed', message: `The user's risk is already ${risk.riskState === 'dismissed' ? 'dismissed' : 'none'}: nothing was sent.` };
      return undefined;
    }),
    exec,
    input,
  );

export const riskyUserOperations: EntraOperationImplementation[] = [getRiskyUser, confirmCompromised, dismiss];
