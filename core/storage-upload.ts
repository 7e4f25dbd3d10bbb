// The discovery log upload's PUT to the storage URL the service handed out: it carries no
// credential of ours, goes only to a storage host the service may name (or an operator's testing
// host), and is retried on transient failures because a PUT of the same bytes is idempotent.
import type { HttpTransport, ProxyFailure, Sleep } from './ports';
import { isTransportFailure } from './ports';
import type { TestingEndpoints } from './clouds';
import { MdcaCancelledError, MdcaConfigurationError, MdcaNetworkError, MdcaServerError, proxyError } from './errors';
import type { CallContext } from './pipeline';
import type { StoragePort } from './operations/types';
import { resolveRetryOptions, RetryOptions } from './retry';
import { retryTransient } from './pipeline/transient-strategy';

export interface StorageUploadOptions {
  /** The service's name in messages. */
  serviceName: string;
  hostSuffixes: readonly string[];
  transport: HttpTransport;
  sleep: Sleep;
  random: () => number;
  retry?: RetryOptions;
  timeoutMs?: number;
  testing?: TestingEndpoints;
}

export function storageUploader(options: StorageUploadOptions): StoragePort {
  return { put: (url, body, headers, ctx) => putToStorage(options, url, body, headers, ctx) };
}

/** A storage port for a service that hands out no upload URLs. */
export function noStorage(serviceName: string): StoragePort {
  return { put: () => Promise.reject(new MdcaConfigurationError('storage', `${serviceName} operations do not upload files.`, 'This is a bug.')) };
}

function checkedStorageUrl(options: StorageUploadOptions, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MdcaConfigurationError('uploadUrl', `${options.serviceName} returned an invalid upload URL.`, 'Retry the upload.');
  }
  const hostPort = parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  const allowed =
    parsed.protocol === 'https:' &&
    !parsed.username &&
    (options.hostSuffixes.some((s) => parsed.hostname.endsWith(s)) || (options.testing?.allowHosts ?? []).includes(hostPort));
  if (!allowed) {
    throw new MdcaConfigurationError(
      'uploadUrl',
      `${options.serviceName} returned an upload URL on an unexpected host (${parsed.hostname.slice(0, 100)}); nothing was uploaded.`,
      'Only Azure Blob Storage and Amazon S3 upload URLs are accepted.',
    );
  }
}

async function putToStorage(options: StorageUploadOptions, url: string, body: Uint8Array, headers: Record<string, string>, ctx: CallContext): Promise<number> {
  checkedStorageUrl(options, url);
  let proxyFailure: ProxyFailure | undefined;
  const attempt = async (): Promise<{ ok?: boolean; status?: number; code?: string }> => {
    try {
      const response = await options.transport.send({
        method: 'PUT',
        url,
        headers: { 'content-type': 'application/octet-stream', ...headers, 'x-ms-version': '2020-10-02' },
        body,
        timeoutMs: Math.max(options.timeoutMs ?? 30_000, 120_000),
        maxResponseBytes: 1024 * 1024,
        signal: ctx.signal,
      });
      return { ok: response.status >= 200 && response.status < 300, status: response.status };
    } catch (raw) {
      const code = isTransportFailure(raw) ? raw.code : 'UNKNOWN';
      if (code === 'ABORTED') throw new MdcaCancelledError();
      proxyFailure = isTransportFailure(raw) ? raw.proxy : undefined;
      return { status: 0, code };
    }
  };
  const outcome = await retryTransient(attempt, {
    retry: resolveRetryOptions(options.retry),
    random: options.random,
    sleep: options.sleep,
    signal: ctx.signal,
    cancelled: () => new MdcaCancelledError(),
  });
  const status = outcome.status ?? 0;
  if (outcome.ok) return status;
  if (outcome.code && proxyFailure) throw proxyError(proxyFailure, { operation: 'discovery.uploadLog' });
  if (outcome.code) throw new MdcaNetworkError(`The log upload to storage failed (${outcome.code}).`, 'Retry the upload; check outbound access to the storage host.', { operation: 'discovery.uploadLog' });
  throw new MdcaServerError(`Storage refused the log upload (${status}).`, 'Retry the upload.', { operation: 'discovery.uploadLog', status });
}
