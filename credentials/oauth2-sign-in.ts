// The authorization-code sign-in of the OAuth2 credential: what it asks consent for and where n8n
// signs in. Built from core/service-constants.ts, so the scopes and authority hosts are the ones
// the core and runtime use (test/n8n/credential-constants.test.ts).
import {
	CLOUD_HOSTS,
	CloudName,
	DEFAULT_CLOUD,
	MDCA_PERMISSION_NAMES,
	MDCA_RESOURCE_APP_ID,
	OFFLINE_ACCESS,
	scopeOf,
	XDR_DELEGATED_SCOPES,
} from '../core/service-constants';

const MDCA_SCOPES = MDCA_PERMISSION_NAMES.map((p) => scopeOf(MDCA_RESOURCE_APP_ID, p));

/** The six delegated MDCA scopes plus offline_access (refresh tokens). */
export const MDCA_DELEGATED_SCOPE = [...MDCA_SCOPES, OFFLINE_ACCESS].join(' ');

/**
 * What the credential asks consent for: the MDCA scopes first (n8n's stored access token is for
 * the first resource, MDCA), then the Defender XDR scopes (Incident.ReadWrite, AdvancedHunting.Read)
 * and offline_access. The XDR nodes redeem the stored refresh token for an XDR token, so one
 * sign-in covers both APIs.
 */
export const OAUTH2_SCOPE = [...MDCA_SCOPES, ...XDR_DELEGATED_SCOPES, OFFLINE_ACCESS].join(' ');

/**
 * An n8n expression choosing the authority host of the credential's cloud: each cloud whose host
 * differs from the default cloud's is named, every other value falls to the default. It holds only
 * the Microsoft authorities, written out with https: n8n sends the client secret and the refresh
 * token there, so no field an editor can change may name its host. The text is what n8n stored
 * with credentials saved before (the test pins it).
 */
function authorityHostExpression(): string {
	const fallback = CLOUD_HOSTS[DEFAULT_CLOUD].authorityHost;
	const others = (Object.keys(CLOUD_HOSTS) as CloudName[]).filter((c) => CLOUD_HOSTS[c].authorityHost !== fallback);
	return others.reduceRight((rest, c) => `$self["cloud"] === "${c}" ? "${CLOUD_HOSTS[c].authorityHost}" : ${rest}`, `"${fallback}"`);
}

// The emulator does not implement the authorization-code flow, so no test host is needed here.
const AUTHORITY = `{{${authorityHostExpression()}}}/{{encodeURIComponent($self["tenantId"] || "organizations")}}`;

/** n8n's "Authorization URL" and "Access Token URL" (hidden fields, `=` marks an expression). */
export const AUTHORIZATION_URL = `=${AUTHORITY}/oauth2/v2.0/authorize`;
export const ACCESS_TOKEN_URL = `=${AUTHORITY}/oauth2/v2.0/token`;
