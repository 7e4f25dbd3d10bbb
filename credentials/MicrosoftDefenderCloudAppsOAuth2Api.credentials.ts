import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { apiUrlProperty, cloudProperty, DOCUMENTATION_URL, testingProperties } from './common';
import { XDR_DELEGATED_SCOPES, xdrApiUrlTestingProperty } from './xdr';

const MDCA = '05a65629-4c1b-48c1-a78b-804c4abdd4af';
/** The six delegated MDCA scopes plus offline_access (refresh tokens). */
export const MDCA_DELEGATED_SCOPE = [
	'Investigation.read',
	'Investigation.manage',
	'Discovery.read',
	'Discovery.manage',
	'Settings.read',
	'Settings.manage',
]
	.map((p) => `${MDCA}/${p}`)
	.concat('offline_access')
	.join(' ');

/**
 * What the credential asks consent for: the MDCA scopes first (n8n's stored access token is for
 * the first resource, MDCA), then the Defender XDR scopes (Incident.ReadWrite, AdvancedHunting.Read)
 * and offline_access. The XDR nodes redeem the stored refresh token for an XDR token, so one
 * sign-in covers both APIs.
 */
export const OAUTH2_SCOPE = MDCA_DELEGATED_SCOPE.split(' ')
	.filter((s) => s !== 'offline_access')
	.concat(XDR_DELEGATED_SCOPES, 'offline_access')
	.join(' ');

// Only the two Microsoft authorities, written out with https: n8n sends the client secret and the
// refresh token to this URL, so no field an editor can change may name its host. The emulator does
// not implement the authorization-code flow, so no test host is needed here.
const AUTHORITY =
	'{{$self["cloud"] === "gccHigh" ? "https://login.microsoftonline.us" : "https://login.microsoftonline.com"}}/{{encodeURIComponent($self["tenantId"] || "organizations")}}';

/**
 * User context with the authorization-code flow: n8n signs the user in through the browser,
 * stores the token and refreshes it when MDCA answers 401.
 */
export class MicrosoftDefenderCloudAppsOAuth2Api implements ICredentialType {
	name = 'microsoftDefenderCloudAppsOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Microsoft Defender for Cloud Apps OAuth2 API';

	documentationUrl = DOCUMENTATION_URL;

	icon = { light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName:
				'Register a web app in Entra ID with the redirect URI shown above as "OAuth Redirect URL" (https://<your n8n host>/rest/oauth2-credential/callback), add the "Microsoft Cloud App Security" Delegated permissions (and, for the Defender XDR nodes, the "Microsoft Threat Protection" Delegated permissions Incident.ReadWrite and AdvancedHunting.Read) and grant consent. Actions run with the signed-in user\'s MDCA role.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		cloudProperty,
		apiUrlProperty,
		{
			displayName: 'Directory (Tenant) ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			description: 'From Entra ID > Overview',
		},
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: `=${AUTHORITY}/oauth2/v2.0/authorize` },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: `=${AUTHORITY}/oauth2/v2.0/token` },
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: OAUTH2_SCOPE },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: 'response_mode=query' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
		...testingProperties,
		xdrApiUrlTestingProperty,
	];
}
