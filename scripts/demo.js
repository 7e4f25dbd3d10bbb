#!/usr/bin/env node
'use strict';
// `npm run demo`: builds and packs the package, starts the MDCA emulator (fixed ports), installs
// the tarball into a Node-RED user dir under .demo/ (gitignored), deploys the example flows
// against the emulator through the admin API (the client secret goes in as credentials, so
// Node-RED stores it encrypted), starts Node-RED 4 from the repo's node_modules and keeps both
// running until Ctrl-C.
//
//   node scripts/demo.js [--port 1880] [--identity-port 9443] [--api-port 9444] [--no-wait] [--skip-build]
//
// --no-wait: deploy, press the example buttons once, print what changed, then stop (for tests/CI).
const fs = require('fs');
const path = require('path');
const http = require('http');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const DEMO = path.join(ROOT, '.demo');

function parseArgs(argv) {
  const a = { port: 1880, identityPort: 9443, apiPort: 9444, wait: true, build: true };
  for (let i = 0; i < argv.length; i++) {
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return x;
    };
    switch (argv[i]) {
      case '--port': a.port = Number(v()); break;
      case '--identity-port': a.identityPort = Number(v()); break;
      case '--api-port': a.apiPort = Number(v()); break;
      case '--no-wait': a.wait = false; break;
      case '--skip-build': a.build = false; break;
      case '-h':
      case '--help':
        console.log('Usage: npm run demo -- [--port 1880] [--identity-port 9443] [--api-port 9444] [--no-wait] [--skip-build]');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return a;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${(r.stdout || '').slice(-2000)}\n${(r.stderr || '').slice(-2000)}`);
  }
  return r.stdout;
}

function request(method, url, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(url, { method, headers: { ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}), ...headers }, timeout: 10000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    if (data) req.write(data);
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Stops whatever was started if the demo fails half-way. */
let cleanup = async () => undefined;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const step = (s) => console.log(`• ${s}`);
  fs.mkdirSync(DEMO, { recursive: true });

  if (args.build) {
    step('building (npm run build)');
    run('npm', ['run', 'build'], { cwd: ROOT });
  }
  step('packing (npm pack)');
  for (const f of fs.readdirSync(DEMO)) if (f.endsWith('.tgz')) fs.rmSync(path.join(DEMO, f));
  const packed = run('npm', ['pack', '--pack-destination', DEMO, '--silent'], { cwd: ROOT }).trim().split('\n').pop();
  const tarball = path.join(DEMO, packed);

  step(`starting the MDCA emulator (identity :${args.identityPort}, API :${args.apiPort})`);
  const { startEmulator } = require(path.join(ROOT, 'dist', 'emulator'));
  const { buildDemoFlows, emulatorConnection, operatorSettings } = require('./demo/flows');
  const caFile = path.join(DEMO, 'emulator-ca.pem');
  const emulator = await startEmulator({ identityPort: args.identityPort, apiPortBase: args.apiPort, caFile });
  fs.writeFileSync(path.join(DEMO, 'emulator-state.json'), JSON.stringify(emulator.state(), null, 2));
  cleanup = () => emulator.close();

  const userDir = path.join(DEMO, 'node-red');
  fs.mkdirSync(userDir, { recursive: true });
  if (!fs.existsSync(path.join(userDir, 'package.json'))) {
    fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'mdca-demo-node-red', private: true, version: '0.0.0' }, null, 2));
  }
  step('installing the package into .demo/node-red');
  run('npm', ['install', tarball, '--omit=peer', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-save'], { cwd: userDir });

  const flowFile = path.join(userDir, 'flows.json');
  fs.writeFileSync(flowFile, '[]');
  const credFile = path.join(userDir, 'flows_cred.json');
  if (fs.existsSync(credFile)) fs.rmSync(credFile);
  const settingsFile = path.join(userDir, 'settings.js');
  const settings = {
    uiPort: args.port,
    uiHost: '127.0.0.1',
    userDir,
    flowFile,
    credentialSecret: 'mdca-demo-only-secret',
    flowFilePretty: true,
    diagnostics: { enabled: false, ui: false },
    telemetry: { enabled: false, updateNotification: false },
    editorTheme: { projects: { enabled: false }, tours: false },
    externalModules: { palette: { allowInstall: false } },
    contextStorage: { default: { module: 'localfilesystem' } },
    logging: { console: { level: 'info', metrics: false, audit: false } },
    // The emulator's hosts and CA are the operator's to allow, here in settings.js, not in the flow.
    ...operatorSettings(emulatorConnection(emulator, emulator.caPem)),
  };
  fs.writeFileSync(settingsFile, `// generated by scripts/demo.js (no adminAuth: bound to 127.0.0.1 only)\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`);

  step(`starting Node-RED ${require('node-red/package.json').version} on Node ${process.version}`);
  const redJs = require.resolve('node-red/red.js');
  const child = spawn(process.execPath, [redJs, '-u', userDir, '-s', settingsFile], { cwd: userDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const logStream = fs.createWriteStream(path.join(DEMO, 'node-red.log'));
  const onData = (b) => {
    log += b.toString();
    logStream.write(b);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  const exitedPromise = new Promise((r) => child.on('exit', () => { exited = true; r(); }));
  cleanup = async () => {
    if (!exited) child.kill('SIGKILL');
    await emulator.close();
  };

  let stopping = false;
  async function stop(code) {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping Node-RED and the emulator…');
    if (!exited) {
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(killer);
    }
    await emulator.close();
    logStream.end();
    process.exit(code);
  }
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  const base = `http://127.0.0.1:${args.port}`;
  const end = Date.now() + 60000;
  for (;;) {
    if (exited) throw new Error(`Node-RED exited:\n${log.slice(-3000)}`);
    try {
      const r = await request('GET', `${base}/settings`);
      if (r.status === 200) break;
    } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`Node-RED did not start:\n${log.slice(-3000)}`);
    await sleep(250);
  }

  step('deploying the example flows (credentials through the admin API)');
  const flows = buildDemoFlows(emulatorConnection(emulator, emulator.caPem));
  const started = (log.match(/Started flows/g) || []).length;
  const d = await request('POST', `${base}/flows`, flows, { 'Node-RED-Deployment-Type': 'full' });
  if (d.status !== 204 && d.status !== 200) throw new Error(`deploy failed: ${d.status} ${d.body}`);
  while ((log.match(/Started flows/g) || []).length <= started) {
    if (Date.now() > end + 30000) throw new Error('flows did not start');
    await sleep(100);
  }

  const t = emulator.tenants.contoso;
  console.log('');
  console.log('MDCA for Node-RED demo is running');
  console.log(`  Node-RED editor   : ${base}/`);
  console.log(`  MDCA API (emul.)  : ${t.apiUrl}/api/v1/alerts/`);
  console.log(`  Defender XDR API  : ${t.xdrApiUrl}/api/incidents   (the "mdca alert to xdr incident" flow)`);
  console.log(`  Microsoft Graph   : ${t.graphApiUrl}/v1.0/security/alerts_v2   (the two "graph" flows)`);
  console.log(`  Entra ID (emul.)  : ${emulator.identityUrl}/${t.tenantId}`);
  console.log(`  emulator state    : ${emulator.identityUrl}/_emulator/state`);
  console.log(`  emulator CA       : ${caFile}`);
  console.log(`  user dir          : ${userDir}   (log: .demo/node-red.log)`);
  console.log('  flows             : ' + flows.filter((n) => n.type === 'tab').map((n) => n.label).join(', '));
  console.log('  Press the inject buttons in the editor; the secret is stored encrypted in flows_cred.json.');

  if (!args.wait) {
    const before = emulator.control.listAlerts('contoso').filter((a) => a.resolutionStatusValue !== 0).length;
    await request('POST', `${base}/inject/tri-now`);
    const deadline = Date.now() + 120000;
    let after = before;
    while (Date.now() < deadline) {
      await sleep(500);
      after = emulator.control.listAlerts('contoso').filter((a) => a.resolutionStatusValue !== 0).length;
      if (after > before) break;
    }
    console.log(`  check             : triage closed ${after - before} alert(s); IP ranges: ${emulator.control.getSubnets('contoso').filter((s) => s.name === 'Triage: risky IPs').length} triage range`);
    // Defender XDR: a new (low-severity) MDCA alert raised into a new incident; the watcher of the
    // "mdca alert to xdr incident" flow resolves the incident and closes the alert as benign.
    const [alert] = emulator.control.insertAlerts('contoso', [{ title: 'Demo: mass download', severityValue: 0 }]);
    const [incident] = emulator.control.xdr.insertIncidents('contoso', [{ mdcaAlertIds: [alert._id] }]);
    let resolved;
    const xdrDeadline = Date.now() + 90000;
    while (Date.now() < xdrDeadline) {
      await sleep(500);
      const now = emulator.control.xdr.getIncident('contoso', incident.incidentId);
      const closed = emulator.control.getAlert('contoso', alert._id);
      if (now && now.status === 'Resolved' && closed && closed.resolutionStatusValue !== 0) {
        resolved = now;
        break;
      }
    }
    console.log(`  check             : XDR incident ${incident.incidentId} ${resolved ? `resolved (${resolved.classification}) with comment, MDCA alert closed as benign` : 'NOT resolved'}`);
    await stop(after > before && resolved ? 0 : 1);
    return;
  }
  console.log('  Ctrl-C stops both.');
}

main().catch(async (e) => {
  console.error(`demo failed: ${e && e.message ? e.message : e}`);
  await cleanup().catch(() => undefined);
  process.exit(1);
});
