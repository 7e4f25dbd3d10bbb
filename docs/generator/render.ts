// Renders the reference pages from the code so they never drift: the permission table and the
// operation reference from the core registry, troubleshooting from the error catalog and the
// Entra error hints. test/core/docs.test.ts fails when a committed page differs from this.
import { errorCatalog, operations, operationsOf, permissionNames, resourceDefinitions, OperationInput } from '../../core';
import type { OutputKind } from '../../core/operations/types';
import { identityErrorHints } from '../../runtime/token-providers';

const HEADER = '<!-- Generated from the code by docs/generator/render.ts; run `npm run docs` after changing the registry. -->\n\n';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderPermissions(): string {
  const lines = [HEADER + '# Permissions and what they unlock', ''];
  lines.push(
    'MDCA application permissions (app context, `roles` claim) and delegated permissions (user context, `scp` claim) have the same six names. Add them in Entra ID under **API permissions > Add a permission > APIs my organization uses > "Microsoft Cloud App Security"**, then grant admin consent. An operation needs **any one** of the permissions listed for it. Legacy API tokens carry the rights of the user who created them; the service decides.',
    '',
    '## By permission',
    '',
    '| Permission | Operations it unlocks |',
    '| --- | --- |',
  );
  for (const permission of permissionNames) {
    const ops = operations.filter((o) => o.permissions.includes(permission)).map((o) => `\`${o.id}\``);
    lines.push(`| \`${permission}\` | ${ops.join(', ')} |`);
  }
  lines.push('', '## By operation', '', '| Operation | Needs any of |', '| --- | --- |');
  for (const op of operations) lines.push(`| \`${op.id}\` (${cell(op.displayName)}) | ${op.permissions.length ? op.permissions.map((p) => `\`${p}\``).join(', ') : 'any MDCA token'} |`);
  lines.push('');
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

export function renderOperations(): string {
  const lines = [HEADER + '# Node reference', ''];
  lines.push(
    'Every node (n8n and Node-RED) is generated from one operation registry (`core/operations`), so both editors offer exactly these operations and fields. Field names below are the names to use in Node-RED `msg.payload` overrides and in n8n expressions.',
    '',
  );
  for (const resource of resourceDefinitions) {
    lines.push(`## ${resource.displayName}`, '', resource.description + '.', '');
    for (const op of operationsOf(resource.name)) {
      lines.push(`### ${op.displayName} (\`${op.id}\`)`, '', op.description, '');
      lines.push(`- Call: \`${op.callText ?? `${op.http.method} ${op.http.path}`}\``);
      lines.push(`- Permission: ${op.permissions.length ? op.permissions.map((p) => `\`${p}\``).join(' or ') : 'any MDCA token'}`);
      lines.push(`- Paging: ${op.paging === 'none' ? 'none' : op.paging === 'scan' ? 'scan mode' : '100 per page, automatic'}`);
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
