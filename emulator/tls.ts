// Certificates for the emulator's HTTPS listeners and for the `cert` app registration.
// Node's crypto signs but cannot build X.509, so this file writes the few DER structures a
// certificate needs (RFC 5280). Keeping it dependency-free avoids a devDependency and any
// reliance on an `openssl` binary on the machines that run the tests.
import { readFileSync } from 'fs';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes, sign, X509Certificate } from 'crypto';

type Der = Buffer;

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
function tlv(tag: number, content: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}
const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, inner: Der): Der => tlv(0xa0 + n, inner);
const octetString = (b: Buffer): Der => tlv(0x04, b);
const bitString = (b: Buffer): Der => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const utf8 = (s: string): Der => tlv(0x0c, Buffer.from(s, 'utf8'));
const derNull = (): Der => Buffer.from([0x05, 0x00]);
const boolean = (v: boolean): Der => Buffer.from([0x01, 0x01, v ? 0xff : 0x00]);

function integer(value: Buffer): Der {
  let v = value;
  while (v.length > 1 && v[0] === 0 && (v[1] & 0x80) === 0) v = v.subarray(1);
  if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}
function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}
function generalizedTime(d: Date): Der {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return tlv(0x18, Buffer.from(s, 'ascii'));
}
const name = (commonName: string): Der => sequence(set(sequence(oid('2.5.4.3'), utf8(commonName))));
const extension = (id: string, critical: boolean, value: Der): Der =>
  sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));

function signatureAlgorithm(key: KeyObject): Der {
  return key.asymmetricKeyType === 'ec'
    ? sequence(oid('1.2.840.10045.4.3.2')) // ecdsa-with-SHA256
    : sequence(oid('1.2.840.113549.1.1.11'), derNull()); // sha256WithRSAEncryption
}

export interface CertificateRequest {
  commonName: string;
  publicKey: KeyObject;
  issuerName: string;
  issuerKey: KeyObject; // private key that signs
  isCa: boolean;
  dnsNames?: string[];
  ipAddresses?: string[];
  validDays?: number;
}

export function createCertificate(req: CertificateRequest): string {
  const now = Date.now();
  const spki = req.publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1').update(spki).digest();
  const extensions: Der[] = [
    extension('2.5.29.19', true, sequence(...(req.isCa ? [boolean(true)] : []))),
    // keyCertSign|cRLSign for the CA; digitalSignature|keyEncipherment for leaves.
    extension('2.5.29.15', true, req.isCa ? Buffer.from([0x03, 0x02, 0x01, 0x06]) : Buffer.from([0x03, 0x02, 0x05, 0xa0])),
    extension('2.5.29.14', false, octetString(keyId)),
  ];
  if (!req.isCa) {
    extensions.push(extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))));
  }
  const altNames: Der[] = [
    ...(req.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
    ...(req.ipAddresses ?? []).map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
  ];
  if (altNames.length > 0) extensions.push(extension('2.5.29.17', false, sequence(...altNames)));
  const algorithm = signatureAlgorithm(req.issuerKey);
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    algorithm,
    name(req.issuerName),
    sequence(generalizedTime(new Date(now - 3600_000)), generalizedTime(new Date(now + (req.validDays ?? 30) * 86400_000))),
    name(req.commonName),
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, req.issuerKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

export interface TlsMaterial {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

/** A certificate authority the emulator signs its listeners with: certificate and private key. */
export interface EmulatorCa {
  certPem: string;
  keyPem: string;
}

const CA_NAME = 'MDCA Emulator Test CA';

export function createEmulatorCa(): EmulatorCa {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    certPem: createCertificate({ commonName: CA_NAME, publicKey: ca.publicKey, issuerName: CA_NAME, issuerKey: ca.privateKey, isCa: true }),
    keyPem: ca.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * The CA named by MDCA_EMULATOR_CA_FILE (its certificate and key in one PEM file), if the test
 * runner set one. A library inside the test process (n8n-core's HTTP client) trusts only what
 * NODE_EXTRA_CA_CERTS named when the process started; the runner creates one CA per run, names it
 * there, and every emulator of the run signs with it. Without the variable each start makes its own.
 */
export function emulatorCaFromEnvironment(env: NodeJS.ProcessEnv = process.env): EmulatorCa | undefined {
  const file = env.MDCA_EMULATOR_CA_FILE;
  if (!file) return undefined;
  const pem = readFileSync(file, 'utf8');
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(pem)?.[0];
  const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/.exec(pem)?.[0];
  if (!certPem || !keyPem) throw new Error(`MDCA_EMULATOR_CA_FILE (${file}) must hold a CA certificate and its PKCS#8 private key`);
  return { certPem, keyPem };
}

/** A leaf for 127.0.0.1/localhost signed by `ca` (a fresh CA unless one is given). Nothing is cached on disk. */
export function createTlsMaterial(ca: EmulatorCa = createEmulatorCa()): TlsMaterial {
  const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serverCertPem = createCertificate({
    commonName: 'localhost',
    publicKey: leaf.publicKey,
    issuerName: CA_NAME,
    issuerKey: createPrivateKey(ca.keyPem),
    isCa: false,
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  return { caPem: ca.certPem, serverCertPem, serverKeyPem: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export interface ClientCertificate {
  certificatePem: string;
  privateKeyPem: string;
  thumbprintSha1: string; // hex, upper-case like the Entra portal shows it
  thumbprintSha256: string;
  publicKey: KeyObject;
}

/** Self-signed RSA certificate for the `cert` app: msal signs its assertion with PS256/RS256. */
export function createClientCertificate(commonName: string): ClientCertificate {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificatePem = createCertificate({ commonName, publicKey: pair.publicKey, issuerName: commonName, issuerKey: pair.privateKey, isCa: false, validDays: 365 });
  const x509 = new X509Certificate(certificatePem);
  return {
    certificatePem,
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    thumbprintSha1: x509.fingerprint.replace(/:/g, ''),
    thumbprintSha256: x509.fingerprint256.replace(/:/g, ''),
    publicKey: createPublicKey(certificatePem),
  };
}
