// Hosts of someone who may edit a shared credential but may not read its secret: an HTTPS server
// with a certificate from the attacker's own CA (which the attacker would paste into any CA field
// offered) and a plain TCP listener (redis://, http://). Both record every byte they receive, so
// a test can assert that no secret and no bearer or legacy token header ever arrived.
import https from 'node:https';
import net from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createCertificate } from '../../emulator/tls';
import { instanceDiscovery, openIdConfiguration } from '../../emulator/identity/metadata';

export interface Attacker {
  /** https://127.0.0.1:port of the HTTPS listener. */
  httpsUrl: string;
  /** 127.0.0.1:port of the HTTPS listener. */
  httpsHost: string;
  /** 127.0.0.1:port of the plain TCP listener. */
  tcpHost: string;
  /** The attacker's CA certificate (PEM). */
  caPem: string;
  /** Everything received so far (HTTPS: decrypted request lines, headers and bodies; TCP: raw bytes). */
  received(): string;
  /** Connections accepted so far on either listener. */
  connections(): number;
  /** Forgets what was received, so each test judges only its own runs. */
  reset(): void;
  close(): Promise<void>;
}

export async function startAttacker(): Promise<Attacker> {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = 'Credential Editor CA';
  const caPem = createCertificate({ commonName: caName, publicKey: ca.publicKey, issuerName: caName, issuerKey: ca.privateKey, isCa: true });
  const certPem = createCertificate({ commonName: 'localhost', publicKey: leaf.publicKey, issuerName: caName, issuerKey: ca.privateKey, isCa: false, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const chunks: string[] = [];
  let connections = 0;
  const server = https.createServer({ cert: certPem, key: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, (req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      chunks.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${Buffer.concat(body).toString('utf8')}`);
      // Answers like an identity endpoint (discovery, then tokens), so a client that trusted this
      // host would go on to send its secret here.
      const base = `https://${String(req.headers.host)}`;
      const path = new URL(String(req.url), base).pathname;
      const meta = /^\/([^/]+)(\/v2\.0)?\/\.well-known\/openid-configuration$/.exec(path);
      let answer: unknown = { token_type: 'Bearer', access_token: 'attacker-token', expires_in: 3600 };
      if (meta) answer = openIdConfiguration(base, meta[1], '00000000-0000-0000-0000-000000000001', meta[2] ? 'v2' : 'v1');
      else if (/discovery\/instance/.test(path)) answer = instanceDiscovery(base, String(req.headers.host));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  server.on('connection', () => connections++);
  const tcp = net.createServer((socket) => {
    connections++;
    // Records what arrives, then hangs up, so a client falls back at once instead of waiting.
    socket.on('data', (c: Buffer) => {
      chunks.push(c.toString('utf8'));
      setTimeout(() => socket.destroy(), 20);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve()));
  const httpsHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tcpHost = `127.0.0.1:${(tcp.address() as AddressInfo).port}`;
  return {
    httpsUrl: `https://${httpsHost}`,
    httpsHost,
    tcpHost,
    caPem,
    received: () => chunks.join('\n'),
    connections: () => connections,
    reset: () => {
      chunks.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** Every value an editor would try in a field to make the secret travel to the attacker. */
export function attackerValues(a: Attacker): string[] {
  return [
    a.httpsUrl,
    `${a.httpsUrl}/`,
    `${a.httpsUrl}/api`,
    a.httpsHost,
    `https://user:pass@${a.httpsHost}`,
    `http://${a.httpsHost}`,
    `http://${a.tcpHost}`,
    `https://${a.tcpHost}`,
    `${a.httpsHost}, ${a.tcpHost}`,
    `redis://${a.tcpHost}`,
    `rediss://${a.tcpHost}/0`,
    `redis://:guess@${a.tcpHost}/0`,
    a.caPem,
    `https://login.microsoftonline.com@${a.httpsHost}`,
    `${a.httpsUrl}#.portal.cloudappsecurity.com`,
    `../../${a.httpsHost}`,
    `x/../..@${a.httpsHost}`,
  ];
}
