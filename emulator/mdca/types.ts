import type { JsonObject } from '../jwt';
import type { Principal } from './auth';
import type { TenantState } from '../tenant-state';

export interface ApiRequest {
  method: string;
  /** path without `/cas` prefix and trailing slash, e.g. `/api/v1/alerts` */
  path: string;
  params: JsonObject;
  query: URLSearchParams;
  principal: Principal;
  tenant: TenantState;
  match: RegExpExecArray;
}

export interface ApiResult {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export const ok = (json: unknown): ApiResult => ({ status: 200, json });
export const notFound = (): ApiResult => ({ status: 404, json: { detail: 'Not found.' } });
export const badRequest = (detail: string): ApiResult => ({ status: 400, json: { detail } });
