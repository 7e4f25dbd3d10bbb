// A small n8n host for unit tests: runs a node's execute()/poll(), a credential test and a list
// search with context objects that implement the IExecuteFunctions / IPollFunctions /
// ICredentialTestFunctions / ILoadOptionsFunctions methods our nodes use. Parameters are resolved
// with n8n-workflow's own NodeHelpers.getNodeParameters (defaults and display rules as in n8n),
// errors are the real n8n-workflow classes, and every request goes over HTTPS to the emulator
// (no HTTP mocks). httpRequestWithAuthentication follows n8n 2.40's OAuth2 semantics: bearer from
// oauthTokenData, ignoreHttpStatusErrors (incl. {ignore, except}), returnFullResponse, and one
// token refresh + resend when the request throws with 401.
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IPollFunctions,
} from 'n8n-workflow';
import { deepCopy, NodeHelpers } from 'n8n-workflow';
import type { RunningEmulator } from '../../emulator';
import { createAxiosTransport } from '../../runtime';
import type { HttpTransport } from '../../core';
import { enableEmulatorHosts, settingsFor } from '../support/emulator-settings';
import { operatorTesting } from '../../runtime/operator';
import type { EmulatorAuthKind } from '../support/emulator-settings';

export const CRED = {
	app: 'microsoftDefenderCloudAppsAppApi',
	user: 'microsoftDefenderCloudAppsUserApi',
	oAuth2: 'microsoftDefenderCloudAppsOAuth2Api',
	apiToken: 'microsoftDefenderCloudAppsTokenApi',
} as const;

// ---------------------------------------------------------------------------------------------
// Credential values derived from the emulator (settingsFor), as a user would type them.

// The emulator's hosts and CA are enabled the way an operator enables them (not by the credential).
function testingFields(emulator: RunningEmulator): IDataObject {
	enableEmulatorHosts(emulator);
	return {
		// The emulator's throttle is switched off in unit tests; pace far above MDCA's 30/min.
		requestsPerMinute: 10_000,
		useTestingEndpoints: true,
	};
}

export function credentialData(emulator: RunningEmulator, kind: EmulatorAuthKind | 'refreshToken', extra: ICredentialDataDecryptedObject = {}): { type: string; data: ICredentialDataDecryptedObject } {
	const base = settingsFor(emulator, kind === 'refreshToken' ? 'userPassword' : kind);
	const common = { cloud: base.cloud, apiUrl: base.apiUrl, ...testingFields(emulator) };
	const a = base.auth;
	let out: { type: string; data: ICredentialDataDecryptedObject };
	switch (a.kind) {
		case 'appSecret':
			out = { type: CRED.app, data: { ...common, tenantId: a.tenantId, clientId: a.clientId, authMethod: 'secret', clientSecret: a.clientSecret } };
			break;
		case 'appCertificate':
			out = { type: CRED.app, data: { ...common, tenantId: a.tenantId, clientId: a.clientId, authMethod: 'certificate', certificatePem: a.certificatePem, privateKeyPem: a.privateKeyPem } };
			break;
		case 'userPassword':
			out = { type: CRED.user, data: { ...common, tenantId: a.tenantId, clientId: a.clientId, userAuthMethod: 'password', username: a.username, password: a.password } };
			break;
		case 'apiToken':
			out = { type: CRED.apiToken, data: { ...common, apiToken: a.token } };
			break;
		default:
			throw new Error(`no credential for ${a.kind}`);
	}
	out.data = { ...out.data, ...extra };
	return out;
}

/** An OAuth2 credential holding an emulator-issued delegated access token. */
export function oauth2CredentialData(emulator: RunningEmulator, scopes = 'Investigation.read Investigation.manage Discovery.read Discovery.manage Settings.read Settings.manage', tenant = 'contoso'): ICredentialDataDecryptedObject {
	const t = emulator.tenants[tenant];
	return {
		cloud: 'commercial',
		apiUrl: t.apiUrl,
		tenantId: t.tenantId,
		clientId: t.credentials.apps.public.clientId,
		clientSecret: '',
		grantType: 'authorizationCode',
		...testingFields(emulator),
		oauthTokenData: { access_token: delegatedToken(emulator, scopes, tenant), refresh_token: 'emulator-refresh-not-used', token_type: 'Bearer' },
	};
}

export function delegatedToken(emulator: RunningEmulator, scopes: string, tenant = 'contoso', overrides: IDataObject = {}): string {
	const t = emulator.tenants[tenant];
	return emulator.control.mintAccessToken(tenant, {
		roles: null, // a delegated token has scp and no roles claim
		scp: scopes,
		appid: t.credentials.apps.public.clientId,
		oid: t.credentials.users.analyst.oid,
		upn: t.credentials.users.analyst.username,
		...overrides,
	} as never);
}

// ---------------------------------------------------------------------------------------------

export interface HarnessOptions {
	/** n8n's workflow id (default harnessWorkflow1); pollers key their one-poll-at-a-time guard by it. */
	workflowId?: string;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	signal?: AbortSignal;
	mode?: 'manual' | 'trigger' | 'internal';
	staticData?: IDataObject;
	/** OAuth2: called when a request throws 401; returns the new oauthTokenData. */
	refreshOAuth2?: () => Promise<IDataObject> | IDataObject;
	caPem?: string;
}

export interface HarnessStats {
	oauthRefreshes: number;
	authenticatedRequests: number;
}

function makeNode(nodeType: INodeType, parameters: INodeParameters): INode {
	return {
		id: 'a0000000-0000-4000-8000-000000000001',
		name: nodeType.description.defaults.name ?? nodeType.description.displayName,
		type: `CUSTOM.${nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
}

function getPath(obj: unknown, path: string): unknown {
	let cur: unknown = obj;
	for (const part of path.split('.')) {
		if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
		cur = (cur as Record<string, unknown>)[part];
	}
	return cur;
}

function baseContext(nodeType: INodeType, o: HarnessOptions, stats: HarnessStats) {
	const resolved = (NodeHelpers.getNodeParameters(nodeType.description.properties, o.parameters, true, false, { typeVersion: 1 }, nodeType.description) ?? {}) as INodeParameters;
	const node = makeNode(nodeType, resolved);
	const credentials = deepCopy(o.credentials);
	const transports = new Map<string, HttpTransport>();
	const transport = (caPem?: string): HttpTransport => {
		const key = caPem ?? '';
		if (!transports.has(key)) transports.set(key, createAxiosTransport({ caPem }));
		return transports.get(key)!;
	};
	const getNodeParameter = (name: string, fallback?: unknown): unknown => {
		const value = getPath(resolved, name);
		if (value === undefined) {
			if (fallback === undefined) throw new Error(`Could not get parameter "${name}"`);
			return fallback;
		}
		return deepCopy(value);
	};

	async function sendN8nRequest(options: IHttpRequestOptions, headers: Record<string, string>, caPem?: string) {
		const body = options.body;
		const response = await transport(caPem).send({
			method: (options.method ?? 'GET') as never,
			url: options.url,
			headers,
			body: Buffer.isBuffer(body) ? new Uint8Array(body) : typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
			timeoutMs: options.timeout ?? 30_000,
			maxResponseBytes: 50 * 1024 * 1024,
			// n8n types the signal as its minimal GenericAbortSignal; the engine passes a real AbortSignal.
			signal: options.abortSignal instanceof AbortSignal ? options.abortSignal : undefined,
		});
		const ignore = options.ignoreHttpStatusErrors as unknown;
		const ok =
			(response.status >= 200 && response.status < 300) ||
			(ignore === true) ||
			(typeof ignore === 'object' && ignore !== null && (ignore as { ignore?: boolean }).ignore === true && !((ignore as { except?: number[] }).except ?? []).includes(response.status));
		const data = options.encoding === 'arraybuffer' ? Buffer.from(response.body, 'utf8') : response.body;
		if (!ok) {
			const error = new Error(`Request failed with status code ${response.status}`) as Error & { response: unknown };
			error.response = { status: response.status, headers: response.headers, data };
			throw error;
		}
		return options.returnFullResponse ? { body: data, headers: response.headers, statusCode: response.status } : data;
	}

	const helpers = {
		async httpRequestWithAuthentication(this: unknown, credentialType: string, options: IHttpRequestOptions) {
			const data = credentials[credentialType];
			if (!data) throw new Error(`no credentials of type ${credentialType}`);
			const tokenData = data.oauthTokenData as IDataObject | undefined;
			if (!tokenData) throw new Error('OAuth credentials not connected');
			// n8n trusts what its process trusts (NODE_EXTRA_CA_CERTS); here the operator setting stands in.
			const caPem = operatorTesting()?.caPem;
			const attempt = () => {
				stats.authenticatedRequests++;
				const headers = { ...((options.headers ?? {}) as Record<string, string>), Authorization: `Bearer ${String((data.oauthTokenData as IDataObject).access_token)}` };
				return sendN8nRequest(options, headers, caPem);
			};
			try {
				return await attempt();
			} catch (error) {
				const status = (error as { response?: { status?: number } }).response?.status;
				if (status !== 401 || !o.refreshOAuth2) throw error;
				stats.oauthRefreshes++;
				data.oauthTokenData = await o.refreshOAuth2();
				return attempt();
			}
		},
		async httpRequest(options: IHttpRequestOptions) {
			return sendN8nRequest(options, (options.headers ?? {}) as Record<string, string>, o.caPem ?? operatorTesting()?.caPem);
		},
		async prepareBinaryData(buffer: Buffer, fileName?: string, mimeType?: string) {
			return { data: buffer.toString('base64'), fileName, mimeType: mimeType ?? 'application/octet-stream', fileSize: `${buffer.length} B`, fileExtension: fileName?.split('.').pop() };
		},
		async getBinaryDataBuffer(itemIndex: number, propertyName: string) {
			const bin = o.items?.[itemIndex]?.binary?.[propertyName];
			if (!bin) throw new Error(`no binary ${propertyName} on item ${itemIndex}`);
			return Buffer.from(bin.data, 'base64');
		},
	};
	const staticData = o.staticData ?? {};
	return {
		node,
		resolved,
		credentials,
		staticData,
		ctx: {
			getNode: () => deepCopy(node),
			getWorkflow: () => ({ id: o.workflowId ?? 'harnessWorkflow1', name: 'harness', active: true }),
			getNodeParameter,
			getCredentials: async (type: string) => {
				if (!credentials[type]) throw new Error(`Node does not have credentials of type ${type}`);
				return deepCopy(credentials[type]);
			},
			getMode: () => o.mode ?? 'manual',
			getExecutionCancelSignal: () => o.signal,
			continueOnFail: () => o.continueOnFail === true,
			getWorkflowStaticData: () => staticData,
			logger: { debug() {}, info() {}, warn() {}, error() {} },
			helpers,
		},
	};
}

export interface ExecuteResult {
	items: INodeExecutionData[];
	stats: HarnessStats;
	credentials: Record<string, ICredentialDataDecryptedObject>;
}

/** Runs `execute()` on the given input items (default: one empty item). */
export async function runNode(nodeType: INodeType, o: HarnessOptions): Promise<ExecuteResult> {
	const stats: HarnessStats = { oauthRefreshes: 0, authenticatedRequests: 0 };
	const items = o.items ?? [{ json: {} }];
	const base = baseContext(nodeType, { ...o, items }, stats);
	const ctx = {
		...base.ctx,
		getInputData: () => items,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => base.ctx.getNodeParameter(name, fallback),
	} as unknown as IExecuteFunctions;
	const out = await nodeType.execute!.call(ctx);
	return { items: (out as INodeExecutionData[][])[0], stats, credentials: base.credentials };
}

/** Runs `poll()`; static data persists in `o.staticData` (pass the same object to continue). */
export async function runPoll(nodeType: INodeType, o: HarnessOptions): Promise<INodeExecutionData[] | null> {
	const stats: HarnessStats = { oauthRefreshes: 0, authenticatedRequests: 0 };
	const base = baseContext(nodeType, { mode: 'trigger', ...o }, stats);
	const ctx = {
		...base.ctx,
		getNodeParameter: (name: string, fallback?: unknown) => base.ctx.getNodeParameter(name, fallback),
	} as unknown as IPollFunctions;
	const out = await nodeType.poll!.call(ctx);
	return out ? out[0] : null;
}

// ---------------------------------------------------------------------------------------------
// Defender XDR: the same credentials, with the emulator's XDR listener in the testing section
// ("Defender XDR API URL (Emulator)" + its host in Allowed Hosts).

/** A credential (App, User, legacy token) that also reaches the emulator's XDR listener. */
export function xdrCredentialData(emulator: RunningEmulator, kind: EmulatorAuthKind, extra: IDataObject = {}, tenant = 'contoso'): { type: string; data: ICredentialDataDecryptedObject } {
	const base = credentialData(emulator, kind);
	const xdrApiUrl = emulator.tenants[tenant].xdrApiUrl;
	return { type: base.type, data: { ...base.data, xdrApiUrl, ...extra } };
}

/**
 * An OAuth2 credential as n8n stores it after the sign-in: an MDCA access token (the first resource
 * of the scope list) and a real emulator refresh token (password grant of the public client,
 * standing in for the authorization-code flow the emulator does not implement).
 */
export async function xdrOAuth2CredentialData(emulator: RunningEmulator, tenant = 'contoso'): Promise<ICredentialDataDecryptedObject> {
	const t = emulator.tenants[tenant];
	const user = t.credentials.users.analyst;
	const form = new URLSearchParams({
		grant_type: 'password',
		client_id: t.credentials.apps.public.clientId,
		username: user.username,
		password: user.password,
		scope: '05a65629-4c1b-48c1-a78b-804c4abdd4af/Investigation.read offline_access',
	});
	const response = await createAxiosTransport({ caPem: emulator.caPem }).send({
		method: 'POST',
		url: `${emulator.identityUrl}/${t.tenantId}/oauth2/v2.0/token`,
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: form.toString(),
		timeoutMs: 10_000,
		maxResponseBytes: 1024 * 1024,
	});
	const body = JSON.parse(response.body) as { access_token?: string; refresh_token?: string };
	if (!body.access_token || !body.refresh_token) throw new Error(`no tokens: ${response.status} ${response.body.slice(0, 300)}`);
	const data = oauth2CredentialData(emulator, undefined, tenant);
	const xdrApiUrl = t.xdrApiUrl;
	return {
		...data,
		xdrApiUrl,
		oauthTokenData: { access_token: body.access_token, refresh_token: body.refresh_token, token_type: 'Bearer' },
	};
}
