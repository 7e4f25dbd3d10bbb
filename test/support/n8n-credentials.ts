// The MDCA App credential (client secret) as a user fills it in for the emulator's tenant, for the
// tests that run a real n8n (`n8n import:credentials` reads the record) or n8n's credential code
// in process. The emulator's hosts are allowed by the process operator (emulatorOperatorEnv),
// never by the credential.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { RunningEmulator } from '../../emulator';
import { settingsFor } from './emulator-settings';

export const MDCA_APP_CREDENTIAL = 'microsoftDefenderCloudAppsAppApi';

/** The App credential's fields for the contoso tenant's app, with the testing endpoints on; `extra` adds fields (pacing, the XDR URL, Redis sharing). */
export function mdcaAppCredentialData(emulator: RunningEmulator, extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
  const s = settingsFor(emulator, 'appSecret');
  const a = s.auth as { tenantId: string; clientId: string; clientSecret: string };
  return { cloud: 'commercial', apiUrl: s.apiUrl, tenantId: a.tenantId, clientId: a.clientId, authMethod: 'secret', clientSecret: a.clientSecret, useTestingEndpoints: true, ...extra };
}

/** The record `n8n import:credentials` takes for that credential. */
export function mdcaAppCredential(emulator: RunningEmulator, id: string, name: string, extra: ICredentialDataDecryptedObject = {}): Record<string, unknown> {
  return { id, name, type: MDCA_APP_CREDENTIAL, data: mdcaAppCredentialData(emulator, extra) };
}
