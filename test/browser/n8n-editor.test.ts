// Our nodes in the real n8n 2.40.7 editor (headless Chromium): the packed package is installed as
// a community package, an example workflow and a trigger workflow are imported, n8n creates the owner
// account at boot and the browser logs in with it. The canvas, the Alerts node's
// panel, the trigger's panel and the credential dialog (after "Test") are saved to
// docs/screenshots/n8n-*.png.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Page } from 'playwright-core';
import { startEmulator, RunningEmulator } from '../../emulator';
import { emulatorOperatorEnv } from '../support/emulator-settings';
import { mdcaAppCredential } from '../support/n8n-credentials';
import { mdcaTriggerNode, workflowNode } from '../support/n8n-workflow';
import { BrowserSession, launchBrowser, PageHelper } from '../support/browser-runtime';
import { createN8n, N8nRuntime, N8nServer, packageTarball } from '../support/n8n-runtime';

jest.setTimeout(600_000);

const SHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');
const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'n8n');
const PKG = '@mdca-lowcode/n8n-nodes-defender-cloud-apps';
const CRED_ID = 'mdcaAppCred00001';
const CRED = { microsoftDefenderCloudAppsAppApi: { id: CRED_ID, name: 'MDCA (app)' } };
const OWNER = { email: 'owner@example.com', firstName: 'Dana', lastName: 'Owner', password: 'E2e-owner-Passw0rd' };
// n8n creates the owner at boot from these (N8N_INSTANCE_OWNER_*, n8n ≥ 2.40), before its REST
// routes answer: a POST /rest/owner/setup right after start once answered 200 and the login after
// it 401 on a CI run. The hash is bcrypt (cost 10) of OWNER.password, made once with bcryptjs.
const OWNER_ENV = {
  N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
  N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
  N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
  N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
  N8N_INSTANCE_OWNER_PASSWORD_HASH: '$2b$10$wmatrR04RlwnPGUYHiI4kuaIKosYkHmwBDmmJmclXz8pkSM1gv89q',
};

async function shot(p: PageHelper, name: string): Promise<void> {
  await p.page.waitForTimeout(800);
  // Viewport only: the canvas fills the window, a full-page shot adds nothing.
  await p.page.screenshot({ path: path.join(SHOTS, name) });
}

/** Closes whatever n8n pops up on first use (toasts, "what's new", surveys). */
async function dismissPopups(page: Page): Promise<void> {
  await page.keyboard.press('Escape').catch(() => undefined);
  for (const sel of ['.el-notification__closeBtn', '[data-test-id="notification-close"]', '.el-dialog__headerbtn']) {
    for (const el of await page.$$(sel)) await el.click({ timeout: 2000 }).catch(() => undefined);
  }
}

/** Waits for the workflow's node on the canvas, lets the editor settle, closes pop-ups and fits the workflow to the view ("1" = zoom to fit). */
async function fitCanvas(page: Page, nodeName: string, settleMs: number): Promise<void> {
  await page.waitForSelector(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`, { timeout: 60_000 });
  await page.waitForTimeout(settleMs);
  await dismissPopups(page);
  await page.locator('[data-test-id="canvas-node"]').first().hover();
  await page.keyboard.press('1');
}

async function openNode(page: Page, name: string): Promise<void> {
  await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).first().dblclick();
  await page.waitForSelector('[data-test-id="ndv"]', { timeout: 20_000 });
  await page.waitForSelector('[data-test-id="ndv"] [data-test-id="parameter-input"], [data-test-id="ndv"] .parameter-input', { timeout: 20_000 }).catch(() => undefined);
}

async function closeNode(page: Page): Promise<void> {
  const back = page.locator('[data-test-id="back-to-canvas"]');
  if (await back.count()) await back.first().click();
  else await page.keyboard.press('Escape');
  await page.waitForSelector('[data-test-id="ndv"]', { state: 'detached', timeout: 10_000 }).catch(() => undefined);
}

describe('n8n editor', () => {
  let emulator: RunningEmulator;
  let n8n: N8nRuntime;
  let server: N8nServer;
  let browser: BrowserSession;

  beforeAll(async () => {
    emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
    [n8n, browser] = await Promise.all([createN8n({ install: [packageTarball()], extraCaCertFile: emulator.caFile, env: { ...emulatorOperatorEnv(emulator), ...OWNER_ENV } }), launchBrowser({ viewport: { width: 1440, height: 900 } })]);
    await n8n.importCredentials([mdcaAppCredential(emulator, CRED_ID, 'MDCA (app)', { requestsPerMinute: 1000 })]);
    const triage = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'triage-high-severity-alerts.json'), 'utf8')) as Record<string, unknown>;
    await n8n.importWorkflows([
      { ...triage, id: 'mdcaShotTriage01' },
      {
        id: 'mdcaShotTrigger01',
        name: 'MDCA: new alert → entity and activities',
        settings: { executionOrder: 'v1' },
        nodes: [
          mdcaTriggerNode('d0000000-0000-4000-8000-000000000001', 'New MDCA Alert', { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'newAlerts', alertFilters: { severity: [2] }, options: { startFrom: 'hoursAgo', startHoursAgo: 24, maxPerPoll: 50 } }, CRED),
          workflowNode('d0000000-0000-4000-8000-000000000002', 'Related Activities', `${PKG}.microsoftDefenderCloudAppsActivities`, [260, -100], { operation: 'getAll', limit: 20 }, { credentials: CRED }),
          workflowNode('d0000000-0000-4000-8000-000000000003', 'Entities', `${PKG}.microsoftDefenderCloudAppsEntities`, [260, 100], { operation: 'getAll', limit: 5 }, { credentials: CRED }),
        ],
        connections: {
          'New MDCA Alert': {
            main: [
              [
                { node: 'Related Activities', type: 'main', index: 0 },
                { node: 'Entities', type: 'main', index: 0 },
              ],
            ],
          },
        },
      },
    ]);
    server = await n8n.startServer();
    // /healthz answers before the REST routes are mounted and the database is ready: retry on 404/503.
    const end = Date.now() + 90_000;
    const post = async (route: string, data: Record<string, unknown>) => {
      for (;;) {
        const r = await browser.context.request.post(`${server.url}${route}`, { data });
        if ((r.status() !== 404 && r.status() !== 503) || Date.now() > end) return r;
        await new Promise((res) => setTimeout(res, 1000));
      }
    };
    const login = await post('/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
    if (!login.ok()) throw new Error(`login: ${login.status()} ${await login.text()}\n--- n8n log ---\n${server.log().slice(-4000)}`);
  });
  afterAll(async () => {
    await browser?.close();
    await n8n?.cleanup();
    await emulator?.close();
  });

  test('canvas, Alerts and Trigger panels, credential dialog: screenshots', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // The editor never fires "load" here (it keeps requests open): navigate to DOMContentLoaded.
    const p = await browser.open();
    const page = p.page;
    const go = (url: string) => page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await go(`${server.url}/workflow/mdcaShotTriage01`);
    try {
      await fitCanvas(page, 'Open High Alerts', 1500);
      await shot(p, 'n8n-workflow.png');

      await openNode(page, 'Open High Alerts');
      const ndv = await page.textContent('[data-test-id="ndv"]');
      expect(ndv).toMatch(/Operation/);
      expect(ndv).toMatch(/Return All/);
      expect(ndv).toMatch(/Retry On Fail" off/);
      await shot(p, 'n8n-alerts-node.png');
      await closeNode(page);

      await go(`${server.url}/workflow/mdcaShotTrigger01`);
      await fitCanvas(page, 'New MDCA Alert', 1000);
      await shot(p, 'n8n-trigger-workflow.png');
      await openNode(page, 'New MDCA Alert');
      expect(await page.textContent('[data-test-id="ndv"]')).toMatch(/Poll Times[\s\S]*Event/);
      await shot(p, 'n8n-trigger-node.png');
      await closeNode(page);

      await go(`${server.url}/home/credentials/${CRED_ID}`);
      await page.waitForSelector('[data-test-id="editCredential-modal"], .el-dialog', { timeout: 30_000 });
      await page.waitForTimeout(1500);
      const retry = page.locator('[data-test-id="credential-save-button"], button:has-text("Retry")');
      if (await retry.count()) {
        await retry.first().click().catch(() => undefined);
      }
      await page
        .waitForFunction(() => /Connection tested successfully|Couldn.t connect/i.test(document.body.innerText), undefined, { timeout: 30_000 })
        .catch(() => undefined);
      await shot(p, 'n8n-credential.png');
      expect(await page.evaluate(() => document.body.innerText)).toMatch(/Tenant API URL|Client ID/i);
      expect(p.consoleLog().filter((l) => l.startsWith('[pageerror]') && /mdca|defender/i.test(l))).toEqual([]);
    } catch (e) {
      await page.screenshot({ path: path.join(os.tmpdir(), 'n8n-editor-failure.png') }).catch(() => undefined);
      fs.writeFileSync(path.join(os.tmpdir(), 'n8n-editor-failure.html'), await page.content().catch(() => ''));
      fs.writeFileSync(path.join(os.tmpdir(), 'n8n-editor-failure.log'), p.consoleLog().join('\n'));
      throw e;
    }
  });
});
