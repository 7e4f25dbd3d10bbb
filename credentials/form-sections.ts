// What the form of every MDCA credential has around its own sign-in fields, in the order n8n shows
// it: a notice on top, and at the end the request budget, Redis sharing and the emulator section.
import type { INodeProperties } from 'n8n-workflow';
import { graphApiUrlTestingProperty, mdeApiUrlTestingProperty, useTestingEndpointsProperty, xdrApiUrlTestingProperty } from './emulator-fields';
import { redisProperties, requestsPerMinuteProperty } from './pacing-fields';
import { proxyUrlProperty } from './proxy-fields';

export const DOCUMENTATION_URL = 'https://github.com/mdca-lowcode/n8n-nodes-defender-cloud-apps/blob/main/docs/n8n.md';

/** The text at the top of a credential's form: what to register in Entra ID (or the portal). */
export function credentialNotice(text: string): INodeProperties {
	return { displayName: text, name: 'notice', type: 'notice', default: '' };
}

/**
 * The connection's own proxy (unless `proxy: false`: the OAuth2 credential's calls go through n8n's
 * own HTTP client), budget, Redis sharing and the emulator switch; `xdr` adds the emulator's Defender XDR and
 * Microsoft Graph and Defender for Endpoint URLs for the credentials the XDR and Graph nodes accept (all but the legacy
 * token, which only MDCA knows).
 */
export function budgetAndEmulatorFields(options: { xdr: boolean; proxy?: boolean }): INodeProperties[] {
	const fields = [...(options.proxy === false ? [] : [proxyUrlProperty]), requestsPerMinuteProperty, ...redisProperties, useTestingEndpointsProperty];
	return options.xdr ? [...fields, xdrApiUrlTestingProperty, graphApiUrlTestingProperty, mdeApiUrlTestingProperty] : fields;
}
