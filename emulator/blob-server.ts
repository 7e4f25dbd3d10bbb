// Azure Blob REST subset for the upload step of Cloud Discovery (the client PUTs the log to the
// SAS URL it was given): Put Blob (needs `x-ms-blob-type: BlockBlob`), Put Block,
// Put Block List. Answers 201 like Azure.
import type { IncomingMessage, ServerResponse } from 'http';
import { BlobStore } from './blob-store';
import { drainBody, headerValue, readBody } from './http-util';

function azureError(res: ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': code, 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}

function created(res: ServerResponse): void {
  res.writeHead(201, { 'x-ms-request-server-encrypted': 'true', etag: `"0x${Date.now().toString(16).toUpperCase()}"`, 'content-length': 0 });
  res.end();
}

export async function handleBlob(store: BlobStore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const record = store.authorize(url.pathname, url.searchParams);
  if (!record) {
    await drainBody(req);
    azureError(res, 403, 'AuthenticationFailed', 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.');
    return;
  }
  if (req.method !== 'PUT') {
    await drainBody(req);
    if (req.method === 'HEAD' || req.method === 'GET') {
      res.writeHead(record.committed ? 200 : 404, { 'content-length': 0, 'x-ms-blob-content-length': String(record.size) });
      res.end();
      return;
    }
    azureError(res, 405, 'UnsupportedHttpVerb', 'The resource doesn\'t support specified Http Verb.');
    return;
  }
  const comp = url.searchParams.get('comp');
  if (comp === 'block') {
    const blockId = url.searchParams.get('blockid');
    const size = await drainBody(req);
    store.bytesReceived += size;
    if (!blockId) return azureError(res, 400, 'InvalidQueryParameterValue', 'Value for one of the query parameters specified in the request URI is invalid.');
    record.blocks.set(blockId, size);
    return created(res);
  }
  if (comp === 'blocklist') {
    const xml = (await readBody(req, 10 * 1024 * 1024)).toString('utf8');
    const ids = [...xml.matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]*)<\//g)].map((m) => m[1]);
    if (ids.length === 0 || ids.some((id) => !record.blocks.has(id))) return azureError(res, 400, 'InvalidBlockList', 'The specified block list is invalid.');
    record.size = ids.reduce((sum, id) => sum + (record.blocks.get(id) ?? 0), 0);
    record.committed = true;
    record.putCount++;
    return created(res);
  }
  if ((headerValue(req, 'x-ms-blob-type') ?? '').toLowerCase() !== 'blockblob') {
    await drainBody(req);
    return azureError(res, 400, 'MissingRequiredHeader', 'An HTTP header that\'s mandatory for this request is not specified. x-ms-blob-type');
  }
  const size = await drainBody(req);
  store.bytesReceived += size;
  record.size = size;
  record.committed = true;
  record.putCount++;
  created(res);
}
