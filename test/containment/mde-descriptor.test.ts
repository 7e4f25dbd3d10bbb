// The Defender for Endpoint descriptor without a network: hosts and aliases per cloud, the token
// resource of each, one budget key per cloud whatever alias is called, which permission names a
// token kind can hold, tokens refused before sending, the MDE error body, and SAS signatures.
import { cloudByName, MDE_SERVICE, MdcaConfigurationError, safeServiceMessage } from '../../core';
import { extractServiceCode, extractServiceMessage, statusError } from '../../core/pipeline/error-mapping';
import { MDE_WORDING } from '../../core/pipeline/wording';
import { pipelineRequest, response } from '../core/pipeline-helpers';

const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('hosts per cloud', () => {
  test.each([
    ['commercial', undefined, 'https://api.security.microsoft.com', 'https://api.securitycenter.microsoft.com'],
    ['commercial', 'https://eu.api.security.microsoft.com/api', 'https://eu.api.security.microsoft.com', 'https://api.securitycenter.microsoft.com'],
    ['commercial', 'api-uk.securitycenter.microsoft.com', 'https://api-uk.securitycenter.microsoft.com', 'https://api.securitycenter.microsoft.com'],
    ['commercial', 'https://api.securitycenter.microsoft.com', 'https://api.securitycenter.microsoft.com', 'https://api.securitycenter.microsoft.com'],
    ['gcc', undefined, 'https://api-gcc.securitycenter.microsoft.us', 'https://api-gcc.securitycenter.microsoft.us'],
    ['gccHigh', '', 'https://api-gov.securitycenter.microsoft.us', 'https://api-gov.securitycenter.microsoft.us'],
  ])('%s %s → %s, tokens for %s', (name, given, origin, resource) => {
    const cloud = cloudByName(name);
    const base = MDE_SERVICE.baseUrl(given, cloud);
    expect(base).toBe(origin);
    expect(MDE_SERVICE.tokenResourceFor!(base, cloud)).toBe(resource);
  });

  test('every alias of a cloud shares one budget key; the clouds have their own', () => {
    const keys = ['https://api.security.microsoft.com', 'https://us.api.security.microsoft.com', 'https://api.securitycenter.microsoft.com', 'https://api-au.securitycenter.microsoft.com'].map((u) => MDE_SERVICE.defaultBudgetKey!(u));
    expect(new Set(keys)).toEqual(new Set(['mde:api.security.microsoft.com']));
    expect(MDE_SERVICE.defaultBudgetKey!('https://api-gov.securitycenter.microsoft.us')).toBe('mde:api-gov.securitycenter.microsoft.us');
    expect(MDE_SERVICE.budget).toEqual({ perMinute: 90, perHour: 1_400 });
  });

  test.each([
    ['commercial', 'https://api-gov.securitycenter.microsoft.us', /another cloud than Commercial/],
    ['gccHigh', 'https://api.security.microsoft.com', /another cloud than US Government \(GCC High\)/],
    ['commercial', 'https://evil.example.com', /is not a Defender for Endpoint API host/],
    ['commercial', 'http://api.security.microsoft.com', /plain https origin/],
    ['commercial', 'https://api.security.microsoft.com/api/machines', /plain https origin/],
  ])('%s refuses %s', (name, given, message) => {
    const cloud = cloudByName(name);
    expect(() => MDE_SERVICE.baseUrl(given, cloud)).toThrow(MdcaConfigurationError);
    expect(() => MDE_SERVICE.baseUrl(given, cloud)).toThrow(message);
  });
});

describe('permission model', () => {
  const model = MDE_SERVICE.permissions;
  test('reads need Machine.Read.All for apps and Machine.Read for users; actions have one name', () => {
    expect(model.consentApiName).toBe('WindowsDefenderATP');
    const read = MDE_SERVICE.findOperation('machine.get')!.definition.permissions;
    expect(model.forKind(read, false)).toEqual(['Machine.Read.All', 'Machine.ReadWrite.All']);
    expect(model.forKind(read, true)).toEqual(['Machine.Read', 'Machine.ReadWrite']);
    expect(model.forKind(MDE_SERVICE.findOperation('machine.isolate')!.definition.permissions, true)).toEqual(['Machine.Isolate']);
    expect(model.forKind(MDE_SERVICE.findOperation('machineAction.getPackageUri')!.definition.permissions, true)).toEqual(['Machine.CollectForensics']);
  });

  test('roles and scopes are read from the token; a token for another API or a legacy token is refused before sending', () => {
    expect(model.read(jwt({ aud: 'https://api.securitycenter.microsoft.com', roles: ['Machine.Isolate', 'machine.read.all'] }))).toMatchObject({ kind: 'application', permissions: ['Machine.Isolate', 'Machine.Read.All'] });
    expect(model.read(jwt({ aud: 'x', scp: 'Machine.Read Machine.Scan' }))).toMatchObject({ kind: 'delegated', permissions: ['Machine.Read', 'Machine.Scan'] });
    for (const audience of ['https://api.securitycenter.microsoft.com', 'fc780465-2017-40d4-a0c5-307022471b92', 'https://api-gov.securitycenter.microsoft.us/']) {
      expect(model.refuse!({ token: 't', scheme: 'Bearer' }, audience)).toBeUndefined();
    }
    expect(model.refuse!({ token: 't', scheme: 'Bearer' }, 'https://graph.microsoft.com')?.message).toContain('not for Microsoft Defender for Endpoint. Nothing was sent.');
    expect(model.refuse!({ token: 't', scheme: 'Token' }, undefined)?.message).toBe('A legacy MDCA API token cannot call Microsoft Defender for Endpoint.');
  });
});

describe('the MDE error body', () => {
  const body = JSON.stringify({ error: { code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress', target: '43f4cb08-8fac-4b65-9db1-745c2ae65f3a' } });

  test('its message is shown, its code kept to match on, and target is not taken for a field', () => {
    expect(extractServiceMessage(body)).toBe('Action is already in progress');
    expect(extractServiceCode(body)).toBe('ActiveRequestAlreadyExists');
    const error = statusError(pipelineRequest(), response(400, body), MDE_WORDING, []);
    expect(error).toMatchObject({ code: 'REQUEST_REJECTED', message: 'Microsoft Defender for Endpoint rejected alert.getAll (400): Action is already in progress.', hint: MDE_WORDING.hints.REQUEST_REJECTED });
    expect(error.details).toMatchObject({ status: 400, serviceCode: 'ActiveRequestAlreadyExists', serviceMessage: 'Action is already in progress' });
    expect(error.details.field).toBeUndefined();
    expect(JSON.stringify(error.toSummary())).not.toContain('43f4cb08');
  });

  test('a code that is not an identifier is not kept', () => {
    expect(extractServiceCode(JSON.stringify({ error: { code: 'two words' } }))).toBeUndefined();
    expect(extractServiceCode('<html>')).toBeUndefined();
  });
});

test('the signature of a shared-access link never survives in service text', () => {
  const url = 'https://userrequests-us.securitycenter.windows.com:443/safedownload/WDATP_Investigation_Package.zip?token=abc&se=2026-02-01T10%3A00%3A00Z&sp=r&sig=Jk9%2Bq8Zr%2Fabc%3D';
  const shown = safeServiceMessage(`The package is at ${url}`);
  expect(shown).not.toContain('Jk9%2Bq8Zr');
  expect(shown).toContain('sig=[redacted]');
});
