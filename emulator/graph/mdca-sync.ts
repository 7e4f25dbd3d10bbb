// One Defender for Cloud Apps alert, two views: the MDCA alert and its Graph alert (id "ca" + MDCA
// id). Closing the MDCA alert (close_true_positive, close_benign, close_false_positive, the
// deprecated dismiss/resolve calls, reopen) resolves or reopens the Graph alert with the matching
// classification; resolving or reopening the Graph alert (or its incident) closes or reopens the
// MDCA alert. New MDCA alerts appear in Graph inside a new incident. Why and where this choice is
// written down: emulator/graph/README.md, "MDCA and Graph, one alert".
import { JsonObject } from '../jwt';
import type { TenantState } from '../tenant-state';

/** MDCA resolutionStatus values (the MDCA alert's resolutionStatusValue). */
const MDCA_OPEN = 0;
const MDCA_RESOLVED = 2;
const MDCA_FALSE_POSITIVE = 3;
const MDCA_BENIGN = 4;
const MDCA_TRUE_POSITIVE = 5;

/** MDCA close → Graph classification. The dismissed (1) and resolved (2) of the deprecated calls have none. */
const CLASSIFICATION_OF: Record<number, string> = { [MDCA_FALSE_POSITIVE]: 'falsePositive', [MDCA_BENIGN]: 'informationalExpectedActivity', [MDCA_TRUE_POSITIVE]: 'truePositive' };
const MDCA_STATUS_OF: Record<string, number> = { falsePositive: MDCA_FALSE_POSITIVE, informationalExpectedActivity: MDCA_BENIGN, truePositive: MDCA_TRUE_POSITIVE };

/** What of an MDCA alert Graph shows: a change of it is a close or reopen to mirror. */
export const mdcaStateKey = (mdca: JsonObject): string => `${Number(mdca.resolutionStatusValue ?? 0)}|${String(mdca.resolveTime ?? '')}|${String(mdca.comment ?? '')}`;

export const isMdcaGraphAlert = (alert: JsonObject): boolean => alert.serviceSource === 'microsoftDefenderForCloudApps';

/** The Graph fields of an MDCA alert's resolution state; `at` is the Graph time of the change. */
export function graphStateOf(mdca: JsonObject, at: string): JsonObject {
  const value = Number(mdca.resolutionStatusValue ?? 0);
  if (value === MDCA_OPEN) return { status: 'new', classification: 'unknown', determination: 'unknown', resolvedDateTime: null };
  const classification = CLASSIFICATION_OF[value] ?? 'unknown';
  // "other" goes with each of the three classifications (docs/graph-security-api.md, Enumerations).
  return { status: 'resolved', classification, determination: classification === 'unknown' ? 'unknown' : 'other', resolvedDateTime: at };
}

/**
 * Mirrors an MDCA close or reopen onto its Graph alert; the MDCA comment becomes a Graph comment.
 * An MDCA close carries no determination: a Graph alert already resolved with the same
 * classification keeps the one it has (e.g. compromisedUser), rather than falling back to "other".
 */
export function applyMdcaChange(alert: JsonObject, mdca: JsonObject, at: string): void {
  const state = graphStateOf(mdca, at);
  if (alert.status === 'resolved' && state.status === 'resolved' && alert.classification === state.classification) state.determination = alert.determination;
  Object.assign(alert, state, { lastUpdateDateTime: at });
  const comment = typeof mdca.comment === 'string' ? mdca.comment : '';
  const comments = alert.comments as JsonObject[];
  if (comment !== '' && comments[comments.length - 1]?.comment !== comment) {
    comments.push({ comment, createdByDisplayName: String(mdca.handledByUser ?? 'Microsoft Defender for Cloud Apps'), createdDateTime: at });
  }
}

/**
 * Mirrors a Graph alert's status onto its MDCA alert: resolved closes it by classification
 * (unknown: the legacy "resolved"), any other status reopens a closed one. Returns whether the
 * MDCA alert changed.
 */
export function applyGraphChange(mdcaState: TenantState, alert: JsonObject, by: string): boolean {
  if (!isMdcaGraphAlert(alert)) return false;
  const mdca = mdcaState.findAlert(String(alert.providerAlertId));
  if (!mdca) return false;
  const before = mdcaStateKey(mdca);
  if (alert.status === 'resolved') {
    const value = MDCA_STATUS_OF[String(alert.classification)] ?? MDCA_RESOLVED;
    if (Number(mdca.resolutionStatusValue ?? 0) !== value || mdca.resolveTime === null) {
      Object.assign(mdca, { resolutionStatusValue: value, resolveTime: new Date(mdcaState.now()).toISOString(), handledByUser: by });
    }
  } else if (Number(mdca.resolutionStatusValue ?? 0) !== MDCA_OPEN) {
    Object.assign(mdca, { resolutionStatusValue: MDCA_OPEN, resolveTime: null });
  }
  return mdcaStateKey(mdca) !== before;
}
