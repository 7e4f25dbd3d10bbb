// Managed identity and workload identity sign in as the host: only the operator of the process
// may enable them (runtime/operator-azure-identity.ts), never a credential field.
import { MdcaConfigurationError } from '../../core/errors';
import { configureOperatorAzureIdentity } from '../../runtime/operator-azure-identity';
import { validateAuthSettings } from '../../runtime/settings';

const CLIENT = '11111111-2222-3333-4444-555555555555';
const OTHER = '99999999-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

function refusal(run: () => unknown): MdcaConfigurationError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(MdcaConfigurationError);
    return e as MdcaConfigurationError;
  }
  throw new Error('expected a refusal');
}

describe('Azure identity sign-in is the operator\'s decision', () => {
  const savedFile = process.env.AZURE_FEDERATED_TOKEN_FILE;
  beforeAll(() => {
    process.env.AZURE_FEDERATED_TOKEN_FILE = '/var/run/secrets/azure/tokens/azure-identity-token';
  });
  afterAll(() => {
    if (savedFile === undefined) delete process.env.AZURE_FEDERATED_TOKEN_FILE;
    else process.env.AZURE_FEDERATED_TOKEN_FILE = savedFile;
    configureOperatorAzureIdentity(undefined);
  });

  test('off by default: every kind is refused with the switch named', () => {
    configureOperatorAzureIdentity(undefined);
    for (const auth of [
      { kind: 'managedIdentity', identity: 'system' },
      { kind: 'managedIdentity', identity: 'clientId', identityId: CLIENT },
      { kind: 'workloadIdentity', tenantId: TENANT, clientId: CLIENT },
    ]) {
      const e = refusal(() => validateAuthSettings(auth as never));
      expect(e.message).toMatch(/not enabled/);
      expect(e.hint).toMatch(/MDCA_ALLOW_AZURE_IDENTITY/);
      expect(e.hint).toMatch(/allowAzureIdentity/);
    }
  });

  test('"true" allows any identity of the host', () => {
    configureOperatorAzureIdentity('true');
    expect(validateAuthSettings({ kind: 'managedIdentity', identity: 'system' } as never)).toMatchObject({ kind: 'managedIdentity' });
    expect(validateAuthSettings({ kind: 'workloadIdentity', tenantId: TENANT, clientId: OTHER } as never)).toMatchObject({ clientId: OTHER });
  });

  test('a list allows only the identities it names (system, client ids), case-insensitively', () => {
    configureOperatorAzureIdentity(`system, ${CLIENT.toUpperCase()}`);
    expect(validateAuthSettings({ kind: 'managedIdentity', identity: 'system' } as never)).toMatchObject({ identity: 'system' });
    expect(validateAuthSettings({ kind: 'managedIdentity', identity: 'clientId', identityId: CLIENT } as never)).toMatchObject({ identityId: CLIENT });
    expect(validateAuthSettings({ kind: 'workloadIdentity', tenantId: TENANT, clientId: CLIENT } as never)).toMatchObject({ clientId: CLIENT });
    const e = refusal(() => validateAuthSettings({ kind: 'workloadIdentity', tenantId: TENANT, clientId: OTHER } as never));
    expect(e.details.field).toBe('clientId');
    expect(e.message).toMatch(/not among/);
    const m = refusal(() => validateAuthSettings({ kind: 'managedIdentity', identity: 'objectId', identityId: OTHER } as never));
    expect(m.details.field).toBe('managedIdentityId');
  });

  test('Node-RED settings.js form: true, false, an array', () => {
    configureOperatorAzureIdentity(false);
    refusal(() => validateAuthSettings({ kind: 'managedIdentity', identity: 'system' } as never));
    configureOperatorAzureIdentity([CLIENT]);
    expect(validateAuthSettings({ kind: 'managedIdentity', identity: 'clientId', identityId: CLIENT } as never)).toMatchObject({ identityId: CLIENT });
    configureOperatorAzureIdentity(true);
    expect(validateAuthSettings({ kind: 'managedIdentity', identity: 'system' } as never)).toMatchObject({ identity: 'system' });
  });
});
