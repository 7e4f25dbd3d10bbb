// How each service is named in messages, and the hints for errors its server answered. The
// pipeline serves several services; building each message with the right name from the start
// keeps text the service did not write (a token kind, a product in a hint) from being reworded.
import type { MdcaErrorCode } from '../errors';
import { GRAPH_RESOURCE, XDR_RESOURCE } from '../clouds';
import { MDE_RESOURCE } from '../service-constants';

export interface ServiceWording {
  /** The name in messages: "MDCA", "Defender XDR". */
  name: string;
  /** The service's request limits, for throttling hints. */
  throttleLimits: string;
  /**
   * Hints that replace the pipeline's own for errors the server answered (with an HTTP status):
   * the pipeline's hints speak of one service's portal and permissions.
   */
  hints: Partial<Record<MdcaErrorCode, string>>;
}

export const MDCA_WORDING: ServiceWording = {
  name: 'MDCA',
  throttleLimits: 'MDCA allows 30 requests per minute per tenant, shared by every integration',
  hints: {},
};

const XDR_THROTTLE_LIMITS =
  'Defender XDR allows 50 incident calls per minute and 1,500 per hour per tenant (advanced hunting at least 45 per minute), shared by every integration';

export const XDR_WORDING: ServiceWording = {
  name: 'Defender XDR',
  throttleLimits: XDR_THROTTLE_LIMITS,
  hints: {
    AUTH_FAILED: `Check that the token is for this tenant and for the Defender XDR API (${XDR_RESOURCE}).`,
    PERMISSION_MISSING:
      'Add the "Microsoft Threat Protection" permission the operation needs (Incident.Read.All / Incident.ReadWrite.All / AdvancedHunting.Read.All for apps, Incident.Read / Incident.ReadWrite / AdvancedHunting.Read for users) and grant admin consent.',
    NOT_FOUND: 'Check the incident id and that the credential points at the right tenant.',
    THROTTLED: `${XDR_THROTTLE_LIMITS}: run it again later.`,
    PROTOCOL_ERROR: 'Check the Defender XDR API URL (leave it empty for the cloud default) and that no proxy rewrites the traffic.',
    REQUEST_REJECTED: 'Read the service message; check the fields against the node reference.',
  },
};

const GRAPH_THROTTLE_LIMITS =
  'Microsoft Graph allows about 150 security requests per minute per app and tenant (hunting at least 45 per minute), shared by every integration using the app';

export const GRAPH_WORDING: ServiceWording = {
  name: 'Microsoft Graph',
  throttleLimits: GRAPH_THROTTLE_LIMITS,
  hints: {
    AUTH_FAILED: `Check that the token is for this tenant and for Microsoft Graph of the right cloud (${GRAPH_RESOURCE}, graph.microsoft.us or dod-graph.microsoft.us).`,
    PERMISSION_MISSING:
      'Add the Microsoft Graph permission the operation needs (SecurityAlert.Read.All / SecurityAlert.ReadWrite.All, SecurityIncident.Read.All / SecurityIncident.ReadWrite.All, ThreatHunting.Read.All) and grant admin consent; a signed-in user also needs Security Reader, Security Operator or Security Administrator.',
    NOT_FOUND: 'Check the alert or incident id (the Graph "id", not an MDCA alert id) and that the credential points at the right tenant.',
    THROTTLED: `${GRAPH_THROTTLE_LIMITS}: run it again later.`,
    PROTOCOL_ERROR: 'Check the Microsoft Graph URL (leave it empty for the cloud default) and that no proxy rewrites the traffic.',
    REQUEST_REJECTED: 'Read the service message; check the fields against the node reference.',
  },
};

/** The hint for an error the server answered: the service's own for the code, else the pipeline's. */
export function answeredHint(wording: ServiceWording, code: MdcaErrorCode, fallback: string): string {
  return wording.hints[code] ?? fallback;
}

const MDE_THROTTLE_LIMITS = 'Defender for Endpoint allows 100 calls per minute and 1,500 per hour per API (the package link 2 per minute), shared by every integration of the tenant';

export const MDE_WORDING: ServiceWording = {
  name: 'Microsoft Defender for Endpoint',
  throttleLimits: MDE_THROTTLE_LIMITS,
  hints: {
    AUTH_FAILED: `Check that the token is for this tenant and for Defender for Endpoint (${MDE_RESOURCE} in the Commercial cloud, the API host itself in the US Government clouds).`,
    PERMISSION_MISSING:
      'Add the "WindowsDefenderATP" permission the operation needs (type WindowsDefenderATP under APIs my organization uses: Machine.Read.All, Machine.Isolate, Machine.Scan, Machine.CollectForensics or Machine.RestrictExecution for apps; Machine.Read and the same action names for users) and grant admin consent; a signed-in user also needs the Defender role (View Data, Active remediation actions or Alerts investigation) and access to the device group.',
    NOT_FOUND: 'Check the machine id (the 40-character Defender for Endpoint device id) or machine action id, and that the credential points at the right tenant.',
    THROTTLED: `${MDE_THROTTLE_LIMITS}: run it again later.`,
    PROTOCOL_ERROR: 'Check the Defender for Endpoint API URL (leave it empty for the cloud default) and that no proxy rewrites the traffic.',
    REQUEST_REJECTED: 'Read the service message; check the fields against the node reference (request bodies are case-sensitive: Comment, IsolationType, ScanType).',
  },
};
