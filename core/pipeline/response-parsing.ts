// The body of a 2xx answer as the operation expects it. A proxy or sign-in page can answer 200
// with HTML, and a cut connection can leave half a JSON document: both are told apart from data.
import type { HttpResponse } from '../ports';
import { MdcaProtocolError } from '../errors';
import { safeServiceMessage } from '../redact';
import { removeSecrets } from '../secret-set';
import type { PipelineRequest } from './request';
import { answeredHint, ServiceWording } from './wording';

export function parseResponse<T>(response: HttpResponse, request: PipelineRequest, wording: ServiceWording, secrets: readonly string[]): T {
  const { spec } = request;
  if (spec.expect === 'none') return undefined as T;
  const contentType = (response.headers['content-type'] ?? '').toLowerCase();
  const details = { status: response.status, operation: spec.operation, requestId: request.requestId };
  const protocolError = (message: string, hint: string) => new MdcaProtocolError(message, answeredHint(wording, 'PROTOCOL_ERROR', hint), details);
  const name = wording.name;
  // Data goes to node outputs and flow messages as it is: only the credential's own secrets are
  // taken out (a compromised service echoing them into an alert or a hunting row).
  const text = removeSecrets(response.body, secrets);
  const looksHtml = /^\s*<(!doctype|html|head|body)/i.test(text);
  if (looksHtml || contentType.includes('text/html')) {
    throw protocolError(
      `${name} answered ${spec.operation} with an HTML page instead of ${spec.expect === 'text' ? 'text' : 'JSON'} (often a sign-in or proxy page).`,
      'Check that the tenant API URL is the one shown in the portal and that no proxy intercepts the traffic.',
    );
  }
  if (spec.expect === 'text') return text as T;
  if (contentType && !contentType.includes('json')) {
    throw protocolError(
      `${name} answered ${spec.operation} with content type "${safeServiceMessage(response.headers['content-type'] ?? '', secrets).slice(0, 80)}" instead of JSON.`,
      `Check that the tenant API URL points at ${name}.`,
    );
  }
  if (text.trim() === '') return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw protocolError(
      `${name} answered ${spec.operation} with invalid or truncated JSON (${text.length} characters).`,
      `Retry; if it persists, check proxies between you and ${name}.`,
    );
  }
}
