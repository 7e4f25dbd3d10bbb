// Renders the reference pages from the code so they never drift: the permission tables and the
// operation reference from each service's registry (docs/generator/reference-source.ts),
// troubleshooting from the error catalog and the Entra error hints. test/core/docs.test.ts fails
// when a committed page differs from this.
import { errorCatalog, OperationInput, AnyOperationDefinition } from '../../core';
import type { OutputKind } from '../../core/operations/types';
import { identityErrorHints } from '../../runtime/token-providers';
import { REFERENCE_SOURCE, ReferenceService, ReferenceSource } from './reference-source';

const HEADER = '<!-- Generated from the code by docs/generator/render.ts; run `npm run docs` after changing the registry. -->\n\n';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function needs(service: ReferenceService, op: AnyOperationDefinition, joiner: string): string {
  return op.permissions.length ? op.permissions.map((p) => `\`${p}\``).join(joiner) : service.anyToken;
}

function servicePermissions(service: ReferenceService): string[] {
  const lines = [`## ${service.title}`, '', service.permissionIntro, '', '### By permission', '', '| Permission | Operations it unlocks |', '| --- | --- |'];
  for (const permission of service.permissionNames) {
    const ops = service.operations.filter((o) => o.permissions.includes(permission)).map((o) => `\`${o.id}\``);
    lines.push(`| \`${permission}\` | ${ops.join(', ')} |`);
  }
  lines.push('', '### By operation', '', '| Operation | Needs any of |', '| --- | --- |');
  for (const op of service.operations) lines.push(`| \`${op.id}\` (${cell(op.displayName)}) | ${needs(service, op, ', ')} |`);
  lines.push('');
  return lines;
}

export function renderPermissions(source: ReferenceSource = REFERENCE_SOURCE): string {
  const lines = [HEADER + '# Permissions and what they unlock', ''];
  for (const service of source.services) lines.push(...servicePermissions(service));
  return lines.join('\n');
}

function describeInput(input: OperationInput): string {
  const parts: string[] = [cell(input.description)];
  if (input.options?.length) parts.push(`Values: ${input.options.map((o) => `${cell(o.name)} (\`${String(o.value)}\`)`).join(', ')}.`);
  if (input.min !== undefined || input.max !== undefined) parts.push(`Range: ${input.min ?? '…'} to ${input.max ?? '…'}.`);
  if (input.displayWhen) parts.push(`Used when \`${input.displayWhen.input}\` is ${input.displayWhen.values.map((v) => `\`${String(v)}\``).join(' or ')}.`);
  return parts.join(' ');
}

/** What each output kind hands the flow, as the reference states it. */
const OUTPUT_TEXT: Record<OutputKind, string> = {
  items: 'A list of records (n8n: one item per record; Node-RED: all, per record or per page).',
  item: 'One record.',
  result: 'A result object.',
  perItem: 'A summary and one result per id (`done`, `notFound`, `unchanged`, `failed`, `skipped`).',
  text: 'A text file (n8n: binary property `data`; Node-RED: `msg.payload` text with `msg.filename`).',
};

function operationSection(service: ReferenceService, op: AnyOperationDefinition): string[] {
  const lines = [`### ${op.displayName} (\`${op.id}\`)`, '', op.description, ''];
  lines.push(`- Call: \`${op.callText ?? `${op.http.method} ${op.http.path}`}\``);
  lines.push(`- Permission: ${needs(service, op, ' or ')}`);
  lines.push(`- Paging: ${op.paging === 'none' ? 'none' : op.paging === 'scan' ? 'scan mode' : op.paging === 'nextLink' ? 'by @odata.nextLink, automatic' : '100 per page, automatic'}`);
  lines.push(`- Output: ${OUTPUT_TEXT[op.output]}`);
  if (op.aliases?.length) lines.push(`- Also reached by the deprecated names: ${op.aliases.map((a) => `\`${op.resource}.${a}\``).join(', ')}`);
  lines.push('');
  if (op.inputs.length) {
    lines.push('| Field | Name | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- | --- |');
    for (const input of op.inputs) {
      lines.push(
        `| ${cell(input.displayName)} | \`${input.name}\` | ${input.type}${input.format ? ` (${input.format})` : ''} | ${input.required ? 'yes' : 'no'} | ${input.default === undefined ? '' : `\`${JSON.stringify(input.default)}\``} | ${describeInput(input)} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

export function renderOperations(source: ReferenceSource = REFERENCE_SOURCE): string {
  const lines = [HEADER + '# Node reference', ''];
  lines.push(
    'Every node (n8n and Node-RED) is generated from the operation registries (`core/operations` for MDCA, `core/xdr` for Defender XDR), so both editors offer exactly these operations and fields. Field names below are the names to use in Node-RED `msg.payload` overrides and in n8n expressions.',
    '',
  );
  for (const service of source.services) {
    for (const resource of service.resources) {
      lines.push(`## ${service.resourceHeading(resource.displayName)}`, '', resource.description + '.', '');
      for (const op of service.operations.filter((o) => o.resource === resource.name)) lines.push(...operationSection(service, op));
    }
  }
  return lines.join('\n');
}

export function renderTroubleshooting(): string {
  const lines = [HEADER + '# Troubleshooting', ''];
  lines.push(
    'Every error the nodes raise has a code, a message that names the field or the call, and a hint. In n8n the hint is the error description; in Node-RED it is in `msg.mdcaError.hint` and the Catch node gets the message. No error ever contains a secret.',
    '',
    '## Error codes',
    '',
  );
  for (const [code, entry] of Object.entries(errorCatalog)) {
    lines.push(`### ${entry.title} (\`${code}\`)`, '', `**What it means:** ${entry.meaning}`, '', `**How to fix it:** ${entry.fix}`, '');
  }
  lines.push('## Entra ID sign-in errors (AADSTS codes)', '', '| Code | What to do |', '| --- | --- |');
  for (const [code, hint] of Object.entries(identityErrorHints)) lines.push(`| ${code} | ${cell(hint)} |`);
  lines.push(
    '',
    '## Throttling',
    '',
    'MDCA allows 30 requests per minute per tenant, shared by every integration. The client paces itself to 28 per rolling minute per tenant, halves that for five minutes after any 429, honours `Retry-After`, and resumes paging where it stopped. n8n\'s **Retry On Fail** and extra Node-RED retry loops are unnecessary and only add load.',
    '',
  );
  return lines.join('\n');
}

export const generatedPages: Record<string, () => string> = {
  'docs/reference/permissions.md': renderPermissions,
  'docs/reference/operations.md': renderOperations,
  'docs/troubleshooting.md': renderTroubleshooting,
};
