// The credential test of the OAuth2 credential. n8n runs no package code to test an OAuth2
// credential: without a declared `test` it only checks that it holds a token. A declared request
// test makes n8n call MDCA with that token: one alert list of one item. The URL is the
// credential's API URL only when it is an MDCA portal host (the hosts core/clouds.ts accepts,
// pinned by test/n8n/check-connection.test.ts): n8n adds the token itself, so no other host may
// ever receive it; anything else goes to a name that cannot resolve. The details (identity,
// permissions, locked operations) are in the nodes' "Check Connection" operation.
import type { ICredentialTestRequest } from 'n8n-workflow';

/** MDCA portal domains per cloud (commercial, GCC, GCC High). */
export const MDCA_PORTAL_SUFFIXES = ['.portal.cloudappsecurity.com', '.portal.cloudappsecuritygov.com', '.portal.cloudappsecurity.us'] as const;

const escaped = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** An MDCA API origin: https, a tenant label (with an optional region), a portal domain, no path. */
export const MDCA_API_URL_PATTERN = new RegExp(`^https://[a-z0-9-]+(\\.[a-z0-9-]+)?(${MDCA_PORTAL_SUFFIXES.map(escaped).join('|')})/?$`, 'i');

export const NOT_AN_MDCA_HOST = 'https://the-api-url-is-not-an-mdca-portal-host.invalid';

const apiUrl = 'String($credentials.apiUrl || "").trim()';

export const OAUTH2_CREDENTIAL_TEST: ICredentialTestRequest = {
	request: {
		baseURL: `={{ ${MDCA_API_URL_PATTERN.toString()}.test(${apiUrl}) ? ${apiUrl}.replace(/\\/+$/, "") : "${NOT_AN_MDCA_HOST}" }}`,
		url: '/api/v1/alerts/',
		method: 'POST',
		body: { limit: 1 },
	},
	rules: [
		{ type: 'responseCode', properties: { value: 401, message: 'MDCA refused the token: reconnect the credential (and check the Tenant API URL).' } },
		{
			type: 'responseCode',
			properties: {
				value: 403,
				message: 'Signed in, but MDCA refused to list alerts: the user needs an MDCA role and the app the Delegated permission Investigation.read (or Discovery.read). The nodes\' "Check Connection" operation lists what is granted.',
			},
		},
	],
};
