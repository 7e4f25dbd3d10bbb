// A real Node-RED (editor API, admin auth, body parsers) started in this process with our config
// node, and a recording HTTPS listener standing in for a host an attacker controls. Used by the
// admin-route tests (admin-routes*.test.ts), with and without adminAuth.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTlsMaterial } from '../../emulator/tls';
import { renderEditorFiles } from '../../node-red/editor/render-editor-files';

export interface Listener {
  url: string;
  host: string;
  caPem: string;
  requests: { method: string; url: string; body: string }[];
  close(): Promise<void>;
}

/** Records every request it gets; any entry means something reached the attacker's host. */
export async function startListener(): Promise<Listener> {
  const tls = createTlsMaterial();
  const requests: Listener['requests'] = [];
  const server = https.createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: String(req.method), url: String(req.url), body });
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    caPem: tls.caPem,
    requests,
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

export interface Runtime {
  url: string;
  RED: { nodes: { getCredentials(id: string): Record<string, unknown> | undefined; getNode(id: string): unknown } };
  /** Admin API request; a JSON body unless contentType says otherwise. */
  request(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export const ADMIN = { username: 'admin', password: 'correct horse battery staple' };

export async function startRuntime(adminAuth: boolean): Promise<Runtime> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const RED = require('node-red');
  const bcrypt = require('bcryptjs');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-admin-'));
  // Node-RED loads nodes by .js/.html pairs: a shim hands it the TypeScript source, the editor
  // file comes from the generator (the source tree holds none).
  const nodesDir = path.join(userDir, 'nodes');
  fs.mkdirSync(nodesDir);
  fs.writeFileSync(path.join(nodesDir, 'mdca-config.js'), `module.exports = require(${JSON.stringify(path.resolve(__dirname, '../../node-red/mdca-config.ts'))});\n`);
  fs.writeFileSync(path.join(nodesDir, 'mdca-config.html'), renderEditorFiles().get('mdca-config.html') as string);
  const server = http.createServer();
  RED.init(server, {
    userDir,
    flowFile: path.join(userDir, 'flows.json'),
    nodesDir: [nodesDir],
    credentialSecret: 'admin-routes-test',
    httpAdminRoot: '/',
    httpNodeRoot: '/nodes-http',
    logging: { console: { level: 'off' } },
    editorTheme: { projects: { enabled: false }, tours: false },
    diagnostics: { enabled: false },
    telemetry: { enabled: false, updateNotification: false },
    externalModules: { autoInstall: false },
    ...(adminAuth ? { adminAuth: { type: 'credentials', users: [{ username: ADMIN.username, password: bcrypt.hashSync(ADMIN.password, 8), permissions: '*' }] } } : {}),
  });
  server.on('request', RED.httpAdmin);
  await RED.start();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request: Runtime['request'] = async (method, p, body, headers = {}) => {
    const raw = body === undefined || typeof body === 'string' ? (body as string | undefined) : JSON.stringify(body);
    const r = await fetch(url + p, { method, body: raw, headers: { ...(typeof body === 'object' ? { 'content-type': 'application/json' } : {}), ...headers } });
    const t = await r.text();
    let json: Record<string, unknown> = {};
    try { json = JSON.parse(t); } catch { /* not JSON */ }
    return { status: r.status, json };
  };
  return {
    url,
    RED: RED as Runtime['RED'],
    request,
    stop: async () => {
      await RED.stop();
      await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}

/** A bearer token for the admin user (adminAuth only). */
export async function adminToken(rt: Runtime): Promise<string> {
  const form = new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: ADMIN.username, password: ADMIN.password }).toString();
  const r = await rt.request('POST', '/auth/token', form, { 'content-type': 'application/x-www-form-urlencoded' });
  return String(r.json.access_token);
}
