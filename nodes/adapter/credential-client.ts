// What the n8n nodes of Defender XDR and Microsoft Graph security do the same way with a
// credential: build the service's client for the node's selected credential (refusing the legacy
// MDCA token before reading it), and the credential test (sign in for the service, read the
// permissions in the token, list one record when they allow it).
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, IExecuteFunctions, ILoadOptionsFunctions, INodeCredentialTestResult, IPollFunctions } from 'n8n-workflow';
import { describeError } from '../../core/client';
import { MdcaConfigurationError, MdcaError } from '../../core/errors';
import type { OperationInputValues, Page } from '../../core/operations/types';
import { CREDENTIAL_TYPES } from './connection';
import type { AuthenticationKind } from './connection';

type Ctx = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** The part of a service client the node and its credential test use. */
export interface CredentialClient {
	insight(): Promise<{ kind: string; permissions: readonly string[]; unlocked: readonly { id: string }[] }>;
	pages(operationId: string, input: OperationInputValues, options: { maxItems?: number }): AsyncIterable<Page>;
}

export type ClientForCredential<C> = (type: string, data: ICredentialDataDecryptedObject) => C;

/** The client for a node's selected credential, one per execution; the legacy token is refused first (the node does not declare its type). */
export function nodeClientFor<C>(legacyTokenRefusal: { message: string; hint: string }, clientForCredential: ClientForCredential<C>): (ctx: Ctx) => Promise<C> {
	return async (ctx) => {
		const kind = ('getInputData' in ctx ? (ctx as IExecuteFunctions).getNodeParameter('authentication', 0, 'app') : (ctx as IPollFunctions).getNodeParameter('authentication', 'app')) as AuthenticationKind;
		if (kind === 'apiToken') throw new MdcaConfigurationError('authentication', legacyTokenRefusal.message, legacyTokenRefusal.hint);
		const type = CREDENTIAL_TYPES[kind] ?? CREDENTIAL_TYPES.app;
		return clientForCredential(type, await ctx.getCredentials(type));
	};
}

/** What a credential test reads: the product named in its message, the list it probes and its record noun. */
export interface CredentialProbe {
	productName: string;
	/** None: the service has no list to probe (Entra ID reads one user by id); signing in and reading the permissions is the test. */
	listOperation?: string;
	record: string;
}

/** The credential test of a service's nodes. */
export function credentialTestFor(clientForCredential: ClientForCredential<CredentialClient>, probe: CredentialProbe) {
	return async function credentialTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		try {
			const client = clientForCredential(credential.type, credential.data ?? {});
			const insight = await client.insight();
			const list = probe.listOperation;
			const canRead = list !== undefined && (insight.unlocked.some((u) => u.id === list) || insight.permissions.length === 0);
			if (canRead) for await (const page of client.pages(list, {}, { maxItems: 1 })) void page;
			const kind = insight.kind === 'delegated' ? 'User (delegated)' : 'Application';
			const skipped = canRead || list === undefined ? '' : ` ${probe.record[0].toUpperCase()}${probe.record.slice(1)} read skipped (no ${probe.record} permission).`;
			return {
				status: 'OK',
				message: `Connected to ${probe.productName} (${kind}). Permissions: ${insight.permissions.join(', ') || 'none found in the token'}. Unlocks: ${insight.unlocked.map((u) => u.id).join(', ') || 'none'}.${skipped}`,
			};
		} catch (error) {
			const summary = describeError(error);
			const hint = error instanceof MdcaError ? ` ${error.hint}` : '';
			return { status: 'Error', message: `${String(summary.message)}${hint}` };
		}
	};
}
