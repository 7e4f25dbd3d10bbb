#!/usr/bin/env node
// `npm run emulator`: starts the emulator, writes the CA and a JSON state file (URLs, ports,
// credentials) for other processes, prints how to use it, and runs until interrupted.
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, resolve } from 'path';
import { startEmulator, TenantOptions } from './index';

interface CliArgs {
  stateFile: string;
  caFile: string;
  identityPort?: number;
  apiPortBase?: number;
  tenants: TenantOptions[];
  noThrottle: boolean;
  activities?: number;
  tokenLifetimeSeconds?: number;
  deviceCodeIntervalSeconds?: number;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { stateFile: '.emulator/state.json', caFile: '', tenants: [], noThrottle: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--state-file': args.stateFile = value(); break;
      case '--ca-file': args.caFile = value(); break;
      case '--identity-port': args.identityPort = Number(value()); break;
      case '--api-port-base': args.apiPortBase = Number(value()); break;
      case '--tenant': args.tenants.push({ name: value() }); break;
      case '--no-throttle': args.noThrottle = true; break;
      case '--activities': args.activities = Number(value()); break;
      case '--token-lifetime': args.tokenLifetimeSeconds = Number(value()); break;
      case '--device-code-interval': args.deviceCodeIntervalSeconds = Number(value()); break;
      case '--help':
      case '-h':
        console.log('Usage: node dist/emulator/cli.js [--state-file .emulator/state.json] [--ca-file <path>] [--identity-port N] [--api-port-base N] [--tenant name]... [--no-throttle] [--activities N] [--token-lifetime S] [--device-code-interval S]');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const stateFile = resolve(args.stateFile);
  const caFile = resolve(args.caFile || `${dirname(stateFile)}/ca.pem`);
  mkdirSync(dirname(stateFile), { recursive: true });
  mkdirSync(dirname(caFile), { recursive: true });
  const tenants = (args.tenants.length > 0 ? args.tenants : [{ name: 'contoso' }]).map((t) => ({
    ...t,
    ...(args.noThrottle ? { throttle: false as const } : {}),
    ...(args.activities !== undefined ? { counts: { activities: args.activities } } : {}),
  }));
  const emulator = await startEmulator({
    tenants,
    caFile,
    identityPort: args.identityPort,
    apiPortBase: args.apiPortBase,
    tokenLifetimeSeconds: args.tokenLifetimeSeconds,
    deviceCodeIntervalSeconds: args.deviceCodeIntervalSeconds,
  });
  const state = { ...emulator.state(), pid: process.pid, startedAt: new Date().toISOString() };
  writeFileSync(stateFile, JSON.stringify(state, null, 2));

  console.log('MDCA emulator running (emulator-only credentials; nothing here is a real secret)');
  console.log(`  identity (Entra) : ${emulator.identityUrl}`);
  console.log(`  control API      : ${emulator.identityUrl}/_emulator/state`);
  for (const t of Object.values(emulator.tenants)) {
    const c = t.credentials;
    console.log(`  tenant ${t.name} (${t.tenantId})`);
    console.log(`    MDCA API URL   : ${t.apiUrl}/api`);
    console.log(`    MDE API URL    : ${t.mdeApiUrl}/api`);
    console.log(`    authority      : ${t.authority}`);
    console.log(`    app full       : client_id=${c.apps.full.clientId} client_secret=${c.apps.full.clientSecret}`);
    console.log(`    app reader     : client_id=${c.apps.reader.clientId} client_secret=${c.apps.reader.clientSecret}`);
    console.log(`    app cert       : client_id=${c.apps.cert.clientId} thumbprintSha256=${c.apps.cert.thumbprintSha256} (key in state file)`);
    console.log(`    public client  : client_id=${c.apps.public.clientId}`);
    console.log(`    users          : ${c.users.analyst.username} / ${c.users.reader.username} password=${c.users.analyst.password}`);
    console.log(`    legacy tokens  : full=${c.legacyTokens.full}`);
    console.log(`                     readonly=${c.legacyTokens.readonly}`);
  }
  console.log(`  CA certificate   : ${caFile}`);
  console.log(`  trust it with    : NODE_EXTRA_CA_CERTS=${caFile}`);
  console.log(`  state file       : ${stateFile}`);

  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
