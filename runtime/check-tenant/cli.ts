#!/usr/bin/env node
// `npx @mdca-lowcode/n8n-nodes-defender-cloud-apps check-tenant`: the package's command. It signs
// in with the credential of the environment or a JSON file, runs every read operation of every
// service once and prints a report that is safe to paste (docs/check-tenant.md).
import { renderConnectionReport, operationCounts } from '../../core/connection-check';
import { describeError } from '../../core/client';
import { tenantCheckConfig } from './config';
import { runTenantCheck } from './run';

const USAGE = `Usage: mdca-lowcode check-tenant [--config <file.json>] [--json]

Signs in with the credential in the environment (MDCA_AUTH_KIND, MDCA_TENANT_ID, MDCA_CLIENT_ID,
MDCA_CLIENT_SECRET, ...) or in the JSON file (--config or MDCA_CHECK_CONFIG), runs every read
operation of MDCA, Defender XDR and Microsoft Graph security once, signs in to Microsoft Entra ID
and Defender for Endpoint (their grants, and one list of one machine) and prints a report. It never
writes. Secrets are read only from the environment or the file. See docs/check-tenant.md.`;

interface Args {
  command?: string;
  config?: string;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--config') args.config = argv[++i];
    else if (a.startsWith('--config=')) args.config = a.slice('--config='.length);
    else if (a === '--help' || a === '-h') args.command = 'help';
    else if (!a.startsWith('-') && !args.command) args.command = a;
    // Never echo an unknown argument: it may be a secret typed where it does not belong.
    else throw new Error('Unknown argument. Secrets go in environment variables or the --config file, never on the command line (docs/check-tenant.md).');
  }
  return args;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: (text: string) => void): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    out(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.command !== 'check-tenant') {
    out(`${USAGE}\n`);
    return args.command === 'help' ? 0 : 2;
  }
  let config;
  try {
    config = tenantCheckConfig(env, args.config ?? env.MDCA_CHECK_CONFIG);
  } catch (error) {
    const s = describeError(error);
    out(`Configuration error (${String(s.field ?? s.code)}): ${String(s.message)} ${s.hint ? String(s.hint) : ''}\n`);
    return 2;
  }
  const reports = await runTenantCheck(config);
  out(args.json ? `${JSON.stringify({ reports, counts: operationCounts(reports) }, null, 2)}\n` : renderConnectionReport(reports, 'check-tenant: read-only connection check'));
  const failed = reports.some((r) => !r.signedIn && r.error?.code !== 'NOT_CONFIGURED') || operationCounts(reports).failed > 0;
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, (text) => process.stdout.write(text)).then(
    (code) => process.exit(code),
    () => {
      process.stdout.write('check-tenant stopped on an unexpected error.\n');
      process.exit(1);
    },
  );
}
