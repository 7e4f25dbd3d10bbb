// The credential test every MDCA node exposes (n8n cannot declare it on the credentials because
// the sign-in needs msal): build a client, read what the token can do, try one cheap read.
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { MdcaError } from '../../core/errors';
import { describeError } from '../../core/client';
import { clientForCredential } from './connection';

const ALERT_READ = ['Investigation.read', 'Investigation.manage', 'Discovery.read', 'Discovery.manage'];

export async function mdcaCredentialTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	try {
		const client = clientForCredential(undefined, credential.type, credential.data ?? {});
		const insight = await client.insight();
		const canReadAlerts = insight.kind === 'legacy' || insight.permissions.some((p) => ALERT_READ.includes(p));
		if (canReadAlerts) {
			const outcome = await client.run('alert.getAll', {}, { maxItems: 1 });
			if (outcome.kind === 'pages') for await (const page of outcome.pages) void page;
		}
		const kind = insight.kind === 'legacy' ? 'Legacy API token' : insight.kind === 'delegated' ? 'User (delegated)' : 'Application';
		const permissions = insight.kind === 'legacy' ? 'decided by the server (legacy token)' : insight.permissions.join(', ') || 'none';
		const resources = [...new Set(insight.unlocked.map((u) => u.resource))];
		return {
			status: 'OK',
			message: `Connected (${kind}). Permissions: ${permissions}. Unlocks: ${insight.unlocked.length} operations (${resources.join(', ') || 'none'}).${canReadAlerts ? '' : ' Alert read skipped (no alert permission).'}`,
		};
	} catch (error) {
		const summary = describeError(error);
		const hint = error instanceof MdcaError ? ` ${error.hint}` : '';
		return { status: 'Error', message: `${String(summary.message)}${hint}` };
	}
}
