#!/usr/bin/env node
// Benchmark runner: `npm run bench` (full) or `npm run bench -- --quick`. Runs each measurement in
// its own Node process (fresh heap, pacers and token caches; --expose-gc for the heap figures),
// collects the results into bench/results/latest.json and prints a table with targets.
// Options: --quick, --only a,b (bench file names), --window-ms N (override the time scale).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BENCHES = ['throughput', 'requests', 'tokens', 'heap', 'overhead', 'tenants', 'latency', 'scan', 'scaleout', 'containment'];
/** Benches that may run at the same time (none: on 2 cores concurrency distorts every figure). */
const CONCURRENT = [];

function parseArgs(argv) {
  const args = { quick: false, only: undefined, windowMs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--only') args.only = argv[++i].split(',');
    else if (a.startsWith('--only=')) args.only = a.slice(7).split(',');
    else if (a === '--window-ms') args.windowMs = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/run.js [--quick] [--only throughput,heap,...] [--window-ms N]');
      process.exit(0);
    }
  }
  return args;
}

function runOne(name, args, tmp) {
  const out = path.join(tmp, `${name}.json`);
  const timeoutMs = args.quick ? 120_000 : 15 * 60_000;
  const env = { ...process.env, BENCH_OUT: out, BENCH_QUICK: args.quick ? '1' : '0', BENCH_TIMEOUT_MS: String(timeoutMs) };
  if (args.windowMs) env.BENCH_WINDOW_MS = String(args.windowMs);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '-r', path.join(__dirname, 'lib', 'register.js'), path.join(__dirname, `${name}.ts`)], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 10_000);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      const seconds = (Date.now() - started) / 1000;
      let result;
      try {
        result = JSON.parse(fs.readFileSync(out, 'utf8'));
      } catch {
        result = { bench: name, error: `exited with ${signal || code} and no result`, figures: [] };
      }
      result.seconds = Math.round(seconds * 10) / 10;
      resolve(result);
    });
  });
}

function fmt(value, unit) {
  if (value === null || value === undefined) return 'n/a';
  return `${value}${unit && unit !== '' ? ` ${unit}` : ''}`;
}

function table(results) {
  const rows = [['figure', 'value', 'target', 'result']];
  for (const r of results) {
    if (r.error) rows.push([`${r.bench}: ERROR`, r.error, '', 'MISS']);
    for (const f of r.figures) rows.push([`${f.id}  ${f.label}`, fmt(f.value, f.unit), f.target || '', f.target ? (f.pass ? 'PASS' : 'MISS') : '']);
  }
  const widths = rows[0].map((_, i) => Math.min(90, Math.max(...rows.map((row) => String(row[i]).length))));
  const line = (row) => row.map((c, i) => String(c).slice(0, 90).padEnd(widths[i])).join(' | ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

async function mainRun() {
  const args = parseArgs(process.argv.slice(2));
  const names = args.only ? BENCHES.filter((b) => args.only.includes(b)) : BENCHES;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-bench-'));
  const started = Date.now();
  const loadAtStart = os.loadavg();
  const results = [];
  console.log(`MDCA benchmarks (${args.quick ? 'quick' : 'full'}) on Node ${process.version}, ${os.cpus().length} CPU, load ${os.loadavg().map((l) => l.toFixed(1)).join('/')}`);
  const print = (r) => {
    console.log(`\n== ${r.bench} (${r.seconds} s)`);
    for (const f of r.figures) {
      console.log(`  ${f.id}: ${fmt(f.value, f.unit)}${f.target ? `  (target ${f.target}: ${f.pass ? 'PASS' : 'MISS'})` : ''}${f.note ? `  — ${f.note}` : ''}`);
    }
    if (r.error) console.log(`  ERROR: ${r.error}`);
  };
  const together = names.filter((n) => CONCURRENT.includes(n));
  if (together.length > 0) {
    console.log(`running together: ${together.join(', ')}`);
    for (const r of await Promise.all(together.map((n) => runOne(n, args, tmp)))) {
      results.push(r);
      print(r);
    }
  }
  for (const name of names.filter((n) => !together.includes(n))) {
    console.log(`running ${name} ...`);
    const r = await runOne(name, args, tmp);
    results.push(r);
    print(r);
  }
  results.sort((a, b) => BENCHES.indexOf(a.bench) - BENCHES.indexOf(b.bench));
  fs.rmSync(tmp, { recursive: true, force: true });
  const summary = {
    mode: args.quick ? 'quick' : 'full',
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0] && os.cpus()[0].model,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg(),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    results,
  };
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (!args.only) fs.writeFileSync(path.join(dir, `latest-${summary.mode}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\n${table(results)}\n`);
  const misses = results.flatMap((r) => (r.error ? [r.bench] : r.figures.filter((f) => f.target && !f.pass).map((f) => f.id)));
  console.log(`${misses.length === 0 ? 'all targets met' : `missed: ${misses.join(', ')}`}; ${summary.seconds} s; written to bench/results/latest.json`);
}

mainRun().catch((error) => {
  console.error(error);
  process.exit(1);
});
