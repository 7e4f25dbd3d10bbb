// What a response action (revoke a user's sessions, isolate a machine…) reports for each target:
// what was done, to what, by which credential, with which comment, and the id to follow it up.
// The record is the one shape both hosts show, for one target or a list of them.
import type { PerItemResult } from '../operations/types';

export type ResponseTargetKind = 'user' | 'machine';

/** Who acted: read from the token's claims (never the token), for the record only, never trusted. */
export interface ResponseActor {
  kind: 'application' | 'delegated' | 'legacy' | 'unknown';
  /** The app registration (client) id the token was issued to. */
  appId?: string;
  /** The signed-in user, for user sign-ins. */
  userPrincipalName?: string;
  tenantId?: string;
}

/** A request as it went (or, in a dry run, would go) on the wire; the token is never part of it. */
export interface ResponseRequest {
  method: string;
  url: string;
  body?: unknown;
}

/**
 * The status of one target:
 * - done: the service accepted the action (an MDE action may still be running: see actionStatus);
 * - unchanged: nothing was sent or the service changed nothing, because the state was already the
 *   one asked for or the same action is already pending (outcome says which; actionId is the
 *   existing action's);
 * - dryRun: nothing was sent; `request` is exactly what would have been;
 * - outcomeUnknown: the request may have reached the service and no answer came back; it was not
 *   sent again, check the target's state before trying again;
 * - notFound, failed, skipped (not attempted after a failure every later target would meet too).
 */
export type ResponseStatus = Extract<PerItemResult['status'], 'done' | 'unchanged' | 'dryRun' | 'outcomeUnknown' | 'notFound' | 'failed' | 'skipped'>;

export interface ResponseActionRecord extends PerItemResult {
  status: ResponseStatus;
  /** The operation id, e.g. "machine.isolate". */
  action: string;
  /** The target as given (user id or UPN, machine id or DNS name). */
  target: string;
  targetKind: ResponseTargetKind;
  /** The service's id of the target where the answer names it (user object id, machine id). */
  targetId?: string;
  /** A readable name of the target where known (UPN, computer DNS name). */
  targetName?: string;
  /**
   * What happened, in one word a flow can branch on: e.g. "isolated", "alreadyIsolated",
   * "actionAlreadyPending", "sessionsRevoked", "alreadyDisabled", "wouldSend", "outcomeUnknown".
   */
  outcome: string;
  comment?: string;
  /** The action to follow up (MDE machine action id): the new one, or the pending one that was found. */
  actionId?: string;
  /** The action's state when the record was made (Pending, InProgress, Succeeded, Failed, TimeOut, Cancelled). */
  actionStatus?: string;
  credential: ResponseActor;
  /** What was sent, or in a dry run what would have been. */
  request?: ResponseRequest;
  /** When the record was made (ISO 8601). */
  at: string;
}
