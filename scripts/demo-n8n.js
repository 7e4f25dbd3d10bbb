#!/usr/bin/env node
'use strict';
// `npm run demo:n8n`: the n8n counterpart of `npm run demo`. Builds and packs the package, starts
// the emulator (MDCA, Defender XDR, Microsoft Graph security and Entra ID), installs the tarball
// into an n8n user folder under .demo/n8n (gitignored) the way n8n's own community-package
// installer lays it out, imports an App credential for the emulator's tenant (n8n encrypts it) and
// every workflow of examples/n8n, creates the owner at boot (a new random password each run,
// written to .demo/n8n/owner-password.txt) and starts the real n8n of the tool cache
// (scripts/tools/n8n.js: the same n8n 2.40.7 on Node 24 the tests use; installed on first use,
// ~7 min). Keeps both running until Ctrl-C.
//
//   node scripts/demo-n8n.js [--port 5678] [--identity-port 9453] [--api-port 9454] [--no-wait] [--skip-build]
//
// --no-wait: runs the "bulk-close false positives" example once with `n8n execute`, starts the
// editor, signs in as the owner, checks the examples are there, prints the URLs, then stops
// (for tests/CI).
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const net = require('net');
const { spawn } = require('child_process');
const { ROOT, DEMO, parseDemoArgs, run, request, sleep, buildAndPack, waitUntilAnswering, runHost } = require('./demo/common');
const { ensureN8n, node24Env } = require('./tools/n8n');

const USAGE = 'Usage: npm run demo:n8n -- [--port 5678] [--identity-port 9453] [--api-port 9454] [--no-wait] [--skip-build]';
const EXAMPLES = path.join(ROOT, 'examples', 'n8n');
// The credential the example workflows name (examples/n8n/*.json, "credentials").
const CREDENTIAL = { id: 'mdcaAppCred00001', name: 'MDCA (app)', type: 'microsoftDefenderCloudAppsAppApi' };
// Run once by --no-wait: it closes five open low-severity alerts as false positives.
const CHECK_WORKFLOW = 'bulk-close-false-positives.json';
const OWNER_EMAIL = 'demo@example.com';

/** Every workflow file under examples/n8n (sub-folders included), sorted. */
function exampleWorkflows(dir = EXAMPLES) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...exampleWorkflows(p));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

/** A stable id per example file (n8n takes at most 21 characters). */
function workflowId(file) {
  return `ex${crypto.createHash('sha256').update(path.relative(EXAMPLES, file)).digest('hex').slice(0, 16)}`;
}

/** n8n asks for 8+ characters with a digit and an upper-case letter. */
function demoPassword() {
  return `Demo-${crypto.randomBytes(9).toString('base64url')}-7Q`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The App credential for the emulator's contoso tenant, as a user would fill it in. */
function emulatorCredential(emulator) {
  const t = emulator.tenants.contoso;
  const app = t.credentials.apps.full;
  return {
    ...CREDENTIAL,
    data: {
      cloud: 'commercial',
      apiUrl: t.apiUrl,
      tenantId: t.tenantId,
      clientId: app.clientId,
      authMethod: 'secret',
      clientSecret: app.clientSecret,
      useTestingEndpoints: true,
      xdrApiUrl: t.xdrApiUrl,
      graphApiUrl: t.graphApiUrl,
      mdeApiUrl: t.mdeApiUrl,
    },
  };
}

/** The operator's switches (never a credential field): the emulator's hosts, its authority and its CA. */
function operatorEnv(emulator, caFile) {
  const hosts = [emulator.identityHost];
  for (const t of Object.values(emulator.tenants)) {
    for (const url of [t.apiUrl, t.xdrApiUrl, t.graphApiUrl, t.mdeApiUrl]) if (url) hosts.push(new URL(url).host);
  }
  return { MDCA_ALLOW_TEST_HOSTS: [...new Set(hosts)].join(','), MDCA_TEST_AUTHORITY_HOST: emulator.identityUrl, NODE_EXTRA_CA_CERTS: caFile };
}

/** Runs a command to the end without blocking this process; rejects with its output's tail on failure. */
function runAsync(cmd, cmdArgs, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`n8n ${cmdArgs[1]} failed (${code}):\n${out.slice(-3000)}`))));
  });
}

let cleanup = async () => undefined;

async function main() {
  const args = parseDemoArgs(process.argv.slice(2), { port: 5678, identityPort: 9453, apiPort: 9454 }, USAGE);
  const step = (s) => console.log(`• ${s}`);
  const tarball = buildAndPack(args.build, step);

  step('n8n from the tool cache (installed on first use, ~7 min)');
  const n8n = await ensureN8n();

  step(`starting the emulator (identity :${args.identityPort}, API :${args.apiPort})`);
  const { startEmulator } = require(path.join(ROOT, 'dist', 'emulator'));
  const caFile = path.join(DEMO, 'emulator-ca-n8n.pem');
  const emulator = await startEmulator({ identityPort: args.identityPort, apiPortBase: args.apiPort, caFile });
  fs.writeFileSync(path.join(DEMO, 'emulator-state-n8n.json'), JSON.stringify(emulator.state(), null, 2));
  cleanup = () => emulator.close();

  // A new n8n database each run: the emulator's ports and secrets are new too.
  const userFolder = path.join(DEMO, 'n8n');
  const n8nDir = path.join(userFolder, '.n8n');
  fs.rmSync(n8nDir, { recursive: true, force: true });
  const nodesDir = path.join(n8nDir, 'nodes');
  fs.mkdirSync(nodesDir, { recursive: true });
  fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
  step('installing the package into .demo/n8n/.n8n/nodes');
  run('npm', ['install', tarball, '--install-links', '--omit=peer', '--legacy-peer-deps', '--no-audit', '--no-fund'], { cwd: nodesDir });

  // Written to a file only its owner can read, not printed: terminal output ends up in logs.
  const password = demoPassword();
  const passwordFile = path.join(userFolder, 'owner-password.txt');
  // Removed first: writeFileSync's mode applies only to a file it creates.
  fs.rmSync(passwordFile, { force: true });
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  const bcrypt = require(require.resolve('bcryptjs', { paths: [path.join(n8n.dir, 'node_modules', 'n8n')] }));
  const env = node24Env(n8n.node, {
    N8N_USER_FOLDER: userFolder,
    N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
    DB_TYPE: 'sqlite',
    N8N_PORT: String(args.port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_EDITOR_BASE_URL: `http://127.0.0.1:${args.port}/`,
    N8N_SECURE_COOKIE: 'false',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
    N8N_RUNNERS_BROKER_PORT: String(await freePort()),
    // The owner exists from boot (n8n ≥ 2.40): no set-up screen, sign in with what is printed.
    N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
    N8N_INSTANCE_OWNER_EMAIL: OWNER_EMAIL,
    N8N_INSTANCE_OWNER_FIRST_NAME: 'Demo',
    N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
    N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(password, 10),
    ...operatorEnv(emulator, caFile),
  });
  delete env.NODE_OPTIONS;
  delete env.NODE_ENV;
  // Asynchronous: the emulator runs in this process and must keep answering while n8n runs.
  const n8nCli = async (cliArgs) => runAsync(n8n.node, [n8n.bin, ...cliArgs], { cwd: userFolder, env: { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) } });

  step('importing the credential (encrypted by n8n) and the example workflows');
  const work = path.join(userFolder, 'import');
  fs.mkdirSync(work, { recursive: true });
  const credFile = path.join(work, 'credentials.json');
  fs.writeFileSync(credFile, JSON.stringify([emulatorCredential(emulator)]), { mode: 0o600 });
  try {
    await n8nCli(['import:credentials', `--input=${credFile}`]);
  } finally {
    fs.rmSync(credFile, { force: true });
  }
  const workflows = exampleWorkflows().map((f) => ({ file: f, wf: { id: workflowId(f), ...JSON.parse(fs.readFileSync(f, 'utf8')) } }));
  const wfFile = path.join(work, 'workflows.json');
  fs.writeFileSync(wfFile, JSON.stringify(workflows.map(({ wf }) => ({ settings: {}, ...wf, active: false }))));
  await n8nCli(['import:workflow', `--input=${wfFile}`]);

  let checked = '';
  if (!args.wait) {
    const check = workflows.find((w) => path.basename(w.file) === CHECK_WORKFLOW);
    if (!check) throw new Error(`examples/n8n/${CHECK_WORKFLOW} is missing`);
    const before = emulator.control.listAlerts('contoso').filter((a) => a.resolutionStatusValue !== 0).length;
    step(`running "${check.wf.name}" once (n8n execute)`);
    await n8nCli(['execute', `--id=${check.wf.id}`]);
    const after = emulator.control.listAlerts('contoso').filter((a) => a.resolutionStatusValue !== 0).length;
    if (after <= before) throw new Error(`"${check.wf.name}" ran but closed no alert`);
    checked = `"${check.wf.name}" closed ${after - before} alert(s)`;
  }

  step(`starting n8n ${n8n.version} on Node 24`);
  const host = runHost({ name: 'n8n', cmd: n8n.node, args: [n8n.bin, 'start'], cwd: userFolder, env, logFile: path.join(DEMO, 'n8n.log'), emulator, stopSignal: 'SIGTERM', killAfterMs: 10000, keepChars: 100000 });
  cleanup = () => host.kill();
  const stop = (code) => host.stop(code);

  const base = `http://127.0.0.1:${args.port}`;
  await waitUntilAnswering(`${base}/healthz`, { name: 'n8n', timeoutMs: 120000, exited: host.exited, logTail: () => host.log().slice(-3000) });

  // Sign in as the printed owner and see the examples, as a newcomer would in the editor.
  // /healthz answers before every REST route is mounted and the database is ready: retry on 404/503.
  // A 200 whose body is not yet the JSON answer counts as starting too (seen once on a loaded machine).
  const isJson = (text) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };
  const whileStarting = async (send, ready = () => true) => {
    for (const end = Date.now() + 60000; ; await sleep(500)) {
      const r = await send();
      if ((r.status !== 404 && r.status !== 503 && ready(r)) || Date.now() > end || host.exited()) return r;
    }
  };
  const login = await whileStarting(() => request('POST', `${base}/rest/login`, { emailOrLdapLoginId: OWNER_EMAIL, password }));
  if (login.status !== 200) throw new Error(`signing in as ${OWNER_EMAIL} failed: ${login.status} ${login.body.slice(0, 300)}\n${host.log().slice(-2000)}`);
  const cookie = (login.headers['set-cookie'] || []).map((c) => c.split(';')[0]).join('; ');
  const listed = await whileStarting(() => request('GET', `${base}/rest/workflows`, undefined, { cookie }), (r) => r.status !== 200 || isJson(r.body));
  let names = [];
  try {
    if (listed.status === 200) names = (JSON.parse(listed.body).data || []).map((w) => w.name);
  } catch {
    throw new Error(`the editor's workflow list is not JSON (${listed.status} ${String(listed.headers['content-type'])}): ${listed.body.slice(0, 200)}`);
  }
  const missing = workflows.map(({ wf }) => wf.name).filter((n) => !names.includes(n));
  if (missing.length) throw new Error(`the editor does not list ${missing.join(', ')} (${listed.status})`);

  const t = emulator.tenants.contoso;
  console.log('');
  console.log('MDCA for n8n demo is running');
  console.log(`  n8n editor        : ${base}/`);
  console.log(`  sign in           : ${OWNER_EMAIL}, password in ${passwordFile}   (new each run; n8n listens on 127.0.0.1 only)`);
  console.log(`  credential        : "${CREDENTIAL.name}" (App, client secret) for the emulator's tenant`);
  console.log(`  workflows         : ${workflows.map(({ wf }) => wf.name).join(', ')}`);
  console.log(`  MDCA API (emul.)  : ${t.apiUrl}/api/v1/alerts/`);
  console.log(`  Defender XDR API  : ${t.xdrApiUrl}/api/incidents`);
  console.log(`  Graph (emul.)     : ${t.graphApiUrl}/v1.0/security/alerts_v2`);
  console.log(`  Defender for Endpoint: ${t.mdeApiUrl}/api/machines`);
  console.log(`  emulator state    : ${emulator.identityUrl}/_emulator/state`);
  console.log(`  emulator CA       : ${caFile}`);
  console.log(`  user folder       : ${userFolder}   (log: .demo/n8n.log)`);
  console.log('  Open a workflow and press "Execute workflow"; the secret is stored encrypted in n8n\'s database.');
  if (!args.wait) {
    console.log(`  check             : ${checked}; the editor lists ${workflows.length} example workflow(s)`);
    await stop(0);
    return;
  }
  console.log('  Ctrl-C stops both.');
}

main().catch(async (e) => {
  console.error(`demo failed: ${e && e.message ? e.message : e}`);
  await cleanup().catch(() => undefined);
  process.exit(1);
});
