// The n8n credentials carry Microsoft's names (clouds, authority hosts, the MDCA app id and
// permissions, the Defender XDR scopes) from core/service-constants.ts: these tests fail when a
// credential's value differs from what the core and runtime use, when the OAuth2 endpoints stored
// by earlier versions would change, or when a credential file reaches beyond that one
// dependency-free module of the core.
import fs from 'node:fs';
import path from 'node:path';
import type { INodeProperties } from 'n8n-workflow';
import { clouds, CloudName } from '../../core/clouds';
import { delegatedScopes, permissionNames } from '../../core/permissions';
import { MDCA_RESOURCE_APP_ID, XDR_RESOURCE, xdrPermissionNames } from '../../core';
import { DELEGATED_SCOPES as RUNTIME_MDCA_SCOPES, XDR_DELEGATED_SCOPES as RUNTIME_XDR_SCOPES } from '../../runtime/token-providers';
import { XDR_OAUTH2_SCOPES } from '../../nodes/adapter/xdr';
import { MicrosoftDefenderCloudAppsAppApi } from '../../credentials/MicrosoftDefenderCloudAppsAppApi.credentials';
import { MicrosoftDefenderCloudAppsUserApi } from '../../credentials/MicrosoftDefenderCloudAppsUserApi.credentials';
import { MDCA_DELEGATED_SCOPE, MicrosoftDefenderCloudAppsOAuth2Api, OAUTH2_SCOPE } from '../../credentials/MicrosoftDefenderCloudAppsOAuth2Api.credentials';
import { MicrosoftDefenderCloudAppsTokenApi } from '../../credentials/MicrosoftDefenderCloudAppsTokenApi.credentials';
import { MicrosoftDefenderCloudAppsAzureIdentityApi } from '../../credentials/MicrosoftDefenderCloudAppsAzureIdentityApi.credentials';

const ROOT = path.resolve(__dirname, '../..');
const credentialTypes = [new MicrosoftDefenderCloudAppsAppApi(), new MicrosoftDefenderCloudAppsUserApi(), new MicrosoftDefenderCloudAppsOAuth2Api(), new MicrosoftDefenderCloudAppsTokenApi(), new MicrosoftDefenderCloudAppsAzureIdentityApi()];
const oauth2 = Object.fromEntries(new MicrosoftDefenderCloudAppsOAuth2Api().properties.map((p) => [p.name, p.default]));

// What n8n stored with OAuth2 credentials saved by earlier versions: the endpoints must stay these.
const STORED_AUTHORITY =
  '{{$self["cloud"] === "gccHigh" ? "https://login.microsoftonline.us" : "https://login.microsoftonline.com"}}/{{encodeURIComponent($self["tenantId"] || "organizations")}}';

/** Evaluates the host part of the authority expression for one cloud, as n8n would. */
function authorityHostFor(expression: string, cloud: string): string {
  const host = /^=\{\{(.*?)\}\}\//.exec(expression)?.[1];
  if (!host) throw new Error(`not an authority expression: ${expression}`);
  return (new Function('$self', `return ${host};`) as (self: Record<string, string>) => string)({ cloud, tenantId: 'contoso.onmicrosoft.com' });
}

describe('credential values are the core\'s', () => {
  it.each(credentialTypes.map((t) => [t.name, t] as const))('%s offers the clouds of core/clouds.ts, commercial first', (_name, type) => {
    const cloud = type.properties.find((p) => p.name === 'cloud') as INodeProperties;
    expect(cloud.options).toEqual(Object.values(clouds).map((c) => ({ name: c.label, value: c.name })));
    expect(cloud.default).toBe('commercial');
  });

  it('the OAuth2 scope asks for every MDCA permission of the core app id, then the runtime\'s XDR scopes, then offline_access', () => {
    expect(oauth2.scope).toBe(OAUTH2_SCOPE);
    expect(OAUTH2_SCOPE.split(' ')).toEqual([...delegatedScopes(MDCA_RESOURCE_APP_ID, permissionNames), ...RUNTIME_XDR_SCOPES, 'offline_access']);
    expect(MDCA_DELEGATED_SCOPE.split(' ')).toEqual([...RUNTIME_MDCA_SCOPES, 'offline_access']);
    // The XDR scopes are the Defender XDR resource's own delegated permissions, and the n8n XDR
    // nodes redeem the stored refresh token for the same ones.
    for (const scope of RUNTIME_XDR_SCOPES) {
      expect(scope.startsWith(`${XDR_RESOURCE}/`)).toBe(true);
      expect(xdrPermissionNames).toContain(scope.slice(XDR_RESOURCE.length + 1));
    }
    expect(XDR_OAUTH2_SCOPES).toEqual(RUNTIME_XDR_SCOPES);
  });

  it('the OAuth2 endpoints sign in at the authority host of each cloud in core/clouds.ts, and are the endpoints stored before', () => {
    expect(oauth2.authUrl).toBe(`=${STORED_AUTHORITY}/oauth2/v2.0/authorize`);
    expect(oauth2.accessTokenUrl).toBe(`=${STORED_AUTHORITY}/oauth2/v2.0/token`);
    for (const name of Object.keys(clouds) as CloudName[]) {
      expect(authorityHostFor(String(oauth2.authUrl), name)).toBe(clouds[name].authorityHost);
      expect(authorityHostFor(String(oauth2.accessTokenUrl), name)).toBe(clouds[name].authorityHost);
    }
  });
});

describe('what a credential file loads', () => {
  const importsOf = (file: string): string[] => [...fs.readFileSync(file, 'utf8').matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);

  it('core/service-constants.ts imports nothing', () => {
    expect(importsOf(path.join(ROOT, 'core', 'service-constants.ts'))).toEqual([]);
  });

  it('credentials/ imports only n8n-workflow (types), its own files and core/service-constants.ts', () => {
    const dir = path.join(ROOT, 'credentials');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(4);
    for (const file of files) {
      for (const spec of importsOf(path.join(dir, file))) {
        expect([file, spec]).toEqual([file, expect.stringMatching(/^(n8n-workflow|\.\/[\w.-]+|\.\.\/core\/service-constants)$/)]);
      }
    }
  });
});
