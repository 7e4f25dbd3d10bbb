// One emulator CA per jest run. Our own clients are told each emulator's CA, but n8n-core's HTTP
// client (the n8n unit tests run nodes through it) trusts only the bundled roots plus the file
// NODE_EXTRA_CA_CERTS named when its process started. So the run makes its CA here, before jest
// forks its workers, names it in NODE_EXTRA_CA_CERTS for them, and every emulator started in the
// run signs its listeners with it (MDCA_EMULATOR_CA_FILE, read by emulator/tls.ts). A test that
// needs an untrusted server starts its emulator with `ca: 'fresh'`.
//
// Plain JavaScript (jest's global setup is not transformed); the CA code is emulator/tls.ts itself,
// transpiled on the fly: it depends on nothing but node's crypto and fs.
const fs = require('fs');
const os = require('os');
const path = require('path');
const ts = require('typescript');

function loadEmulatorTls() {
  const source = fs.readFileSync(path.join(__dirname, '..', '..', 'emulator', 'tls.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } });
  const mod = { exports: {} };
  new Function('require', 'module', 'exports', outputText)(require, mod, mod.exports);
  return mod.exports;
}

async function setup() {
  // An outer runner (or a parent jest) already chose the run's CA.
  if (process.env.MDCA_EMULATOR_CA_FILE) return;
  const ca = loadEmulatorTls().createEmulatorCa();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-run-ca-'));
  const caFile = path.join(dir, 'ca-and-key.pem');
  fs.writeFileSync(caFile, ca.certPem + ca.keyPem, { mode: 0o600 });
  // NODE_EXTRA_CA_CERTS names one file: keep whatever the caller trusted already.
  const before = process.env.NODE_EXTRA_CA_CERTS && fs.existsSync(process.env.NODE_EXTRA_CA_CERTS) ? fs.readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8') : '';
  const trustFile = path.join(dir, 'trust.pem');
  fs.writeFileSync(trustFile, `${before.trimEnd()}${before ? '\n' : ''}${ca.certPem}`);
  process.env.MDCA_EMULATOR_CA_FILE = caFile;
  process.env.NODE_EXTRA_CA_CERTS = trustFile;
  process.env.MDCA_RUN_CA_DIR = dir;
  process.env.MDCA_RUN_CA_OWNER = String(process.pid);
}

async function teardown() {
  const dir = process.env.MDCA_RUN_CA_DIR;
  // Only the run that made the CA removes it (a nested jest inherits the variables).
  if (dir && process.env.MDCA_RUN_CA_OWNER === String(process.pid)) fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = { setup, teardown };
