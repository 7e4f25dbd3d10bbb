// tokenRequestsCold50 (target in docs/performance.md): token requests the emulated Entra ID sees
// when 50 operations start at once on a cold token cache (fresh provider, as
// test/core/reliability.test.ts builds it), then 50 more on the warm cache; compared with 50
// concurrent raw @azure/msal-node acquireTokenByClientCredential calls on one cold
// ConfidentialClientApplication.
import { ConfidentialClientApplication } from '@azure/msal-node';
import { benchSettings, figure, isolatedClient, main, openTenant, withEmulator } from './lib/bench';
import { msalConfiguration, providerEnvironment, APP_SCOPE } from '../runtime';
import { authFor } from '../test/support/emulator-settings';

const N = 50;

void main('tokens', async () =>
  withEmulator([openTenant('contoso')], async (emulator) => {
    const [alert] = emulator.control.listAlerts('contoso');
    const client = isolatedClient(emulator, 'contoso');
    emulator.control.resetTokenRequests();
    await Promise.all(Array.from({ length: N }, () => client.run('alert.get', { alertId: alert._id })));
    const cold = emulator.control.tokenRequestCounts().total;
    emulator.control.resetTokenRequests();
    await Promise.all(Array.from({ length: N }, () => client.run('alert.get', { alertId: alert._id })));
    const warm = emulator.control.tokenRequestCounts().total;

    const auth = authFor(emulator, 'appSecret', 'contoso');
    if (auth.kind !== 'appSecret') throw new Error('unexpected auth kind');
    const config = msalConfiguration(providerEnvironment(benchSettings(emulator, 'contoso')), auth.clientId, auth.tenantId);
    const app = new ConfidentialClientApplication({ ...config, auth: { ...config.auth, clientSecret: auth.clientSecret } });
    emulator.control.resetTokenRequests();
    await Promise.all(Array.from({ length: N }, () => app.acquireTokenByClientCredential({ scopes: [APP_SCOPE] })));
    const rawCold = emulator.control.tokenRequestCounts().total;
    emulator.control.resetTokenRequests();
    await Promise.all(Array.from({ length: N }, () => app.acquireTokenByClientCredential({ scopes: [APP_SCOPE] })));
    const rawWarm = emulator.control.tokenRequestCounts().total;
    // Same app after its token cache is dropped (what expiry looks like): discovery is warm now.
    app.clearCache();
    emulator.control.resetTokenRequests();
    await Promise.all(Array.from({ length: N }, () => app.acquireTokenByClientCredential({ scopes: [APP_SCOPE] })));
    const rawExpired = emulator.control.tokenRequestCounts().total;
    return {
      figures: [
        figure('tokenRequestsCold50', `core: token requests for ${N} concurrent operations, cold cache`, cold, '', { op: '<=', value: 1 }),
        figure('tokenRequestsWarm50', `core: token requests for ${N} more, warm cache`, warm, '', { op: '==', value: 0 }),
        figure('tokenRequestsCold50.msal', `raw msal-node: ${N} concurrent acquireTokenByClientCredential, new app`, rawCold, '', undefined, 'first call also fetches OpenID metadata; how many POSTs race depends on its timing'),
        figure('tokenRequestsWarm50.msal', `raw msal-node: ${N} more, warm`, rawWarm, ''),
        figure('tokenRequestsExpired50.msal', `raw msal-node: ${N} concurrent after clearCache (metadata warm, as on expiry)`, rawExpired, '', undefined, 'msal does not merge concurrent token requests'),
      ],
    };
  }),
);
