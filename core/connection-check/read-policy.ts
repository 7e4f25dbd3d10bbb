// Which read operations the connection check runs for the services whose reads name a target or
// act on the tenant's budget for response actions. Microsoft Entra ID: every read names a user, and
// the check never picks one, so it reads nothing there (sign-in and grants only). Defender for
// Endpoint: one machine list with $top=1 — the API allows 100 calls a minute per tenant for every
// integration together, and the other reads either need a machine or action the check would have
// to pick, wait for an action to finish, or mint a download link. Services not listed run every
// read (core/connection-check/sample-inputs.ts gives their inputs).
export interface ServiceReadPolicy {
  /** The read operations the check runs, in the registry's order; every other read is skipped. */
  only: readonly string[];
  /** Why the other reads are skipped: shown beside each. */
  reason: string;
  /** Records per list, below the check's own limit. */
  maxItems?: number;
  /** Inputs added to each read the check runs (a page size of one record). */
  input?: Readonly<Record<string, unknown>>;
}

export const CHECK_READ_POLICY: Readonly<Record<string, ServiceReadPolicy>> = {
  entra: { only: [], reason: 'names a user; the check names none and reads no user' },
  mde: { only: ['machine.getAll'], reason: 'the check reads one machine (machine.getAll, $top=1) and nothing else', maxItems: 1, input: { top: 1 } },
};

/** Why the check does not run this read of the service, or undefined when it does. */
export function notRunReason(serviceId: string, operationId: string): string | undefined {
  const policy = CHECK_READ_POLICY[serviceId];
  return policy && !policy.only.includes(operationId) ? `not run: ${policy.reason}` : undefined;
}
