// Stand-in for the Azure Blob SAS URL that discovery upload initiation (`upload_url`) hands out.
// It lives on the identity listener (no MDCA auth); each URL carries an HMAC `sig` so only
// issued URLs accept data. Bytes are counted, not kept.
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

export interface BlobRecord {
  tenantName: string;
  container: string;
  name: string;
  url: string;
  filename: string;
  source: string;
  issuedAt: number;
  /** committed size (single PUT or committed block list) */
  size: number;
  committed: boolean;
  putCount: number;
  blocks: Map<string, number>;
  finalized: boolean;
  inputStreamName?: string;
  uploadAsSnapshot?: boolean;
}

export class BlobStore {
  private readonly key = randomBytes(32);
  readonly blobs = new Map<string, BlobRecord>();
  bytesReceived = 0;

  private sign(path: string, expiry: string): string {
    return createHmac('sha256', this.key).update(`${path}\n${expiry}`).digest('base64');
  }

  /** A SAS URL for one blob: write (`cw`) to a discovery container by default; `options` for other uses (a read link). */
  issue(baseUrl: string, tenantName: string, filename: string, source: string, nowMs: number, options: { container?: string; permissions?: string } = {}): BlobRecord {
    const container = options.container ?? `discovery-${tenantName}`;
    const name = `${randomBytes(16).toString('hex')}/${encodeURIComponent(filename)}`;
    const path = `/_blob/${container}/${name}`;
    const expiry = new Date(nowMs + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const query = new URLSearchParams({ sv: '2020-08-04', se: expiry, sr: 'b', sp: options.permissions ?? 'cw', sig: this.sign(path, expiry) });
    const record: BlobRecord = { tenantName, container, name, url: `${baseUrl}${path}?${query.toString()}`, filename, source, issuedAt: nowMs, size: 0, committed: false, putCount: 0, blocks: new Map(), finalized: false };
    this.blobs.set(path, record);
    return record;
  }

  /** The record for a request path when its SAS signature is valid. */
  authorize(path: string, query: URLSearchParams): BlobRecord | undefined {
    const record = this.blobs.get(path);
    const sig = query.get('sig');
    const se = query.get('se');
    if (!record || !sig || !se) return undefined;
    const expected = Buffer.from(this.sign(path, se));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    if (Date.parse(se) < Date.now()) return undefined;
    return record;
  }

  findByUrl(url: string): BlobRecord | undefined {
    try {
      const u = new URL(url);
      return this.authorize(decodeURIComponent(u.pathname) === u.pathname ? u.pathname : u.pathname, u.searchParams);
    } catch {
      return undefined;
    }
  }

  forTenant(tenantName: string): BlobRecord[] {
    return [...this.blobs.values()].filter((b) => b.tenantName === tenantName);
  }

  clearTenant(tenantName: string): void {
    for (const [k, b] of this.blobs) if (b.tenantName === tenantName) this.blobs.delete(k);
  }
}
