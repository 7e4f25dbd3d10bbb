// The connection check as plain text: what the check-tenant command prints, what the Node-RED
// dialog shows and what the n8n operation returns beside the JSON. Built from the report only,
// which holds no secret and no record value (core/connection-check/check.ts).
import type { CheckedOperation, KeyDifferences, ServiceCheckReport } from './check';

function line(label: string, value: string): string {
  return `  ${label.padEnd(14)} ${value}`;
}

function differencesText(d: KeyDifferences): string[] {
  const out: string[] = [];
  const onlyInTenant = d.filter((k) => k.kind === 'missing');
  const onlyInEmulator = d.filter((k) => k.kind === 'extra');
  const typeDiffers = d.filter((k) => k.kind === 'type');
  if (onlyInTenant.length) out.push(`only in tenant: ${onlyInTenant.map((k) => `${k.path}${k.expected ? ` (${k.expected})` : ''}`).join(', ')}`);
  if (onlyInEmulator.length) out.push(`only in emulator: ${onlyInEmulator.map((k) => k.path).join(', ')}`);
  if (typeDiffers.length) out.push(`type differs: ${typeDiffers.map((k) => `${k.path} (tenant ${k.expected}, emulator ${k.actual})`).join(', ')}`);
  return out;
}

function operationLine(op: CheckedOperation): string {
  const status = op.status === 'ok' ? 'OK' : op.status === 'failed' ? 'FAILED' : 'skipped';
  const latency = op.latencyMs !== undefined ? `${op.latencyMs} ms` : '';
  const detail = op.status === 'ok' ? `${op.records ?? 0} record(s)` : `${op.errorCode ? `${op.errorCode}: ` : ''}${op.reason ?? ''}`;
  return `    ${status.padEnd(8)} ${op.id.padEnd(32)} ${latency.padStart(8)}  ${detail}`;
}

/** Counts of the operations run, over every service of a report. */
export function operationCounts(reports: readonly ServiceCheckReport[]): { ok: number; failed: number; skipped: number } {
  const all = reports.flatMap((r) => r.operations ?? []);
  return { ok: all.filter((o) => o.status === 'ok').length, failed: all.filter((o) => o.status === 'failed').length, skipped: all.filter((o) => o.status === 'skipped').length };
}

export function renderServiceReport(report: ServiceCheckReport): string {
  const out: string[] = [`== ${report.serviceName} ==`, line('Cloud', report.cloud), line('API host', report.apiHost)];
  if (!report.signedIn) {
    out.push(line('Sign-in', `FAILED ${report.error?.code ?? ''}: ${report.error?.message ?? ''}`));
    if (report.error?.hint) out.push(line('What to do', report.error.hint));
    return out.join('\n');
  }
  const id = report.identity;
  const kind = id?.kind === 'legacy' ? 'legacy API token' : id?.kind === 'delegated' ? 'user (delegated)' : 'application';
  out.push(line('Signed in as', [kind, id?.userPrincipalName ? `user ${id.userPrincipalName}` : '', id?.appId ? `app ${id.appId}` : ''].filter(Boolean).join(', ')));
  if (id?.tenantId) out.push(line('Tenant', id.tenantId));
  if (id?.tokenExpiresInMinutes !== undefined) out.push(line('Token', `expires in ${id.tokenExpiresInMinutes} min`));
  out.push(line('Permissions', id?.kind === 'legacy' ? 'decided by the server (legacy token)' : report.permissions.join(', ') || 'none in the token'));
  out.push(line('Unlocked', `${report.unlocked.length}: ${report.unlocked.map((u) => u.id).join(', ') || 'none'}`));
  out.push(line('Locked', report.locked.length ? `${report.locked.length}:` : '0'));
  for (const l of report.locked) out.push(`    ${l.id} needs ${l.needs.join(' or ')}`);
  if (report.grantHint) out.push(line('How to grant', report.grantHint));
  if (report.operations) {
    out.push('  Read operations:');
    for (const op of report.operations) out.push(operationLine(op));
    const headers = Object.entries(report.budgetHeaders ?? {});
    out.push(line('Budget headers', headers.length ? headers.map(([k, v]) => `${k}: ${v}`).join(', ') : 'none seen'));
    const differing = report.operations.filter((o) => o.keyDifferences);
    out.push(line('Record keys', differing.length ? 'differ from the emulator:' : 'as the emulator returns them (names and types)'));
    for (const op of differing) for (const text of differencesText(op.keyDifferences!)) out.push(`    ${op.id}: ${text}`);
  }
  return out.join('\n');
}

export function renderConnectionReport(reports: readonly ServiceCheckReport[], title = 'Connection check (read-only)'): string {
  const parts = [title, ...reports.map(renderServiceReport)];
  if (reports.some((r) => r.operations)) {
    const c = operationCounts(reports);
    parts.push(`Summary: ${c.ok} ok, ${c.failed} failed, ${c.skipped} skipped. Key names and types only; no record values, no secrets.`);
  }
  return `${parts.join('\n\n')}\n`;
}
