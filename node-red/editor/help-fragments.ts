// Help text fragments several nodes' help shares (node-declarations.ts, response-node-declarations.ts).
import { escapeHtml } from './escape';
import type { HelpContext } from './node-declarations';

export function operationOverride(ctx: HelpContext): string {
  return `        <dt class="optional">operation <span class="property-type">string</span></dt>
        <dd>overrides the operation, e.g. <code>${escapeHtml(ctx.example)}</code> or <code>${escapeHtml(ctx.resource)}.${escapeHtml(ctx.example)}</code>.</dd>`;
}

export const LIST_META = `        <dt>mdca <span class="property-type">object</span></dt>
        <dd><code>operation</code>, and for lists <code>page</code>, <code>count</code>, <code>index</code>, <code>hasNext</code>.</dd>`;

export const ERROR_SUMMARY = `    <code>msg.mdcaError</code> holds a summary: <code>code</code>, <code>message</code>, <code>hint</code>,
    <code>status</code>, <code>field</code>, <code>permissions</code>, <code>retryAfterMs</code>, <code>requestId</code>.`;
