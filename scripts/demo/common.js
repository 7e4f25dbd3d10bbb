'use strict';
// What both demos do the same way (scripts/demo.js for Node-RED, scripts/demo-n8n.js for n8n):
// argument parsing, running a command to the end, a small HTTP client, building and packing the
// package into .demo/, and waiting for a host to answer.
const fs = require('fs');
const path = require('path');
const http = require('http');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..', '..');
const DEMO = path.join(ROOT, '.demo');

/** `--port 1880 --identity-port 9443 --api-port 9444 --no-wait --skip-build`, over the given defaults. */
function parseDemoArgs(argv, defaults, usage) {
  const a = { ...defaults, wait: true, build: true };
  for (let i = 0; i < argv.length; i++) {
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      const n = Number(x);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${argv[i - 1]} needs a port number (1–65535), not "${x}"`);
      return n;
    };
    switch (argv[i]) {
      case '--port': a.port = v(); break;
      case '--identity-port': a.identityPort = v(); break;
      case '--api-port': a.apiPort = v(); break;
      case '--no-wait': a.wait = false; break;
      case '--skip-build': a.build = false; break;
      case '-h':
      case '--help':
        console.log(usage);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${argv[i]}\n${usage}`);
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
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    if (data) req.write(data);
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `npm run build` (unless skipped) and `npm pack` into .demo/; returns the tarball's path. */
function buildAndPack(build, step) {
  fs.mkdirSync(DEMO, { recursive: true });
  if (build) {
    step('building (npm run build)');
    run('npm', ['run', 'build'], { cwd: ROOT });
  }
  step('packing (npm pack)');
  for (const f of fs.readdirSync(DEMO)) if (f.endsWith('.tgz')) fs.rmSync(path.join(DEMO, f));
  const packed = run('npm', ['pack', '--pack-destination', DEMO, '--silent'], { cwd: ROOT }).trim().split('\n').pop();
  return path.join(DEMO, packed);
}

/** Polls `url` until it answers 200; fails with the host's log tail if `exited()` or the deadline passes. */
async function waitUntilAnswering(url, { name, timeoutMs, exited, logTail }) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) throw new Error(`${name} exited:\n${logTail()}`);
    try {
      const r = await request('GET', url);
      if (r.status === 200) return;
    } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`${name} did not start:\n${logTail()}`);
    await sleep(250);
  }
}

/**
 * Runs a demo's host (Node-RED, n8n) beside the emulator: its output is kept (the last
 * `keepChars` when given) and written to `logFile`. `stop(code)` says so, stops the host with
 * `stopSignal` (SIGKILL after `killAfterMs`), closes the emulator and exits; Ctrl-C and SIGTERM
 * call it. `kill()` is for a demo that fails half-way.
 */
function runHost({ name, cmd, args, cwd, env, logFile, emulator, stopSignal, killAfterMs, keepChars }) {
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const logStream = fs.createWriteStream(logFile);
  const onData = (b) => {
    log += b.toString();
    if (keepChars && log.length > 2 * keepChars) log = log.slice(-keepChars);
    logStream.write(b);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  const exitedPromise = new Promise((r) => child.on('exit', () => { exited = true; r(); }));
  let stopping = false;
  const host = {
    log: () => log,
    exited: () => exited,
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await emulator.close();
    },
    async stop(code) {
      if (stopping) return;
      stopping = true;
      console.log(`\nstopping ${name} and the emulator…`);
      if (!exited) {
        child.kill(stopSignal);
        const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        await exitedPromise;
        clearTimeout(killer);
      }
      await emulator.close();
      logStream.end();
      process.exit(code);
    },
  };
  process.on('SIGINT', () => host.stop(0));
  process.on('SIGTERM', () => host.stop(0));
  return host;
}

module.exports = { ROOT, DEMO, parseDemoArgs, run, request, sleep, buildAndPack, waitUntilAnswering, runHost };
