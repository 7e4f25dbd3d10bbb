// Core errors → n8n errors, built only from the core's secret-free summary (never the raw error).
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';
import { describeError } from '../../core/client';
import { MdcaError } from '../../core/errors';

const INPUT_CODES = new Set(['VALIDATION_FAILED', 'CONFIGURATION_INVALID']);

/** The summary put into continue-on-fail items and error contexts. */
export function errorSummary(error: unknown): JsonObject {
	return describeError(error) as JsonObject;
}

export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const summary = errorSummary(error);
	const message = String(summary.message ?? 'The operation failed.');
	const hint = typeof summary.hint === 'string' ? summary.hint : undefined;
	if (!(error instanceof MdcaError) || INPUT_CODES.has(error.code)) {
		// Never pass the raw error: n8n keeps `cause`/`stack` of what it is given.
		const e = new NodeOperationError(node, message, { itemIndex, description: hint });
		e.context = { ...e.context, mdca: summary };
		return e;
	}
	const status = error.details.status ?? (error.code === 'PERMISSION_MISSING' ? 403 : error.code === 'AUTH_FAILED' ? 401 : undefined);
	return new NodeApiError(node, summary, {
		message,
		description: hint,
		httpCode: status !== undefined ? String(status) : undefined,
		itemIndex,
	});
}
