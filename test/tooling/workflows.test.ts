// The GitHub Actions workflows cannot run here, so this checks what they say: both parse as YAML;
// CI runs .ci/run on every push and pull request, on Node.js 20, without a cache that could hide a
// broken fresh install, and .ci/run is the README's test command; the release (on a v* tag) packs
// in a job of its own with no install scripts and no test tools, runs the README's test command,
// the n8n lint and the Node-RED scorecard in another, and publishes that tarball, once its SHA-256
// matches the one the pack job recorded, with an npm provenance statement (`id-token: write` on
// the publishing job only, the token from a secret, in the protected environment `npm`).
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { commandSteps, quickStartCommands } from '../support/readme-quick-start';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  container?: { image: string };
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: string | { name: string };
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

function workflow(file: string): Workflow {
  const doc = parseDocument(read(file), { prettyErrors: true, uniqueKeys: true });
  expect({ file, errors: doc.errors.map(String), warnings: doc.warnings.map(String) }).toEqual({ file, errors: [], warnings: [] });
  return doc.toJS() as Workflow;
}

/** Every command a job runs, in order: each line of each `run`, split at `&&`, comments dropped. */
function commands(job: Job): string[] {
  return job.steps.flatMap((s) => (s.run ?? '').split('\n').flatMap((l) => (/^\s*#/.test(l) ? [] : commandSteps(l))));
}

/** The position of the first command that is `command` (with or without further arguments). */
function indexOfCommand(all: string[], command: string): number {
  return all.findIndex((c) => c === command || c.startsWith(`${command} `));
}

const README_TEST_STEPS = (() => {
  const line = quickStartCommands(read('README.md')).find((c) => /\bnpm test\b/.test(c));
  if (!line) throw new Error('the README quick start has no npm test line');
  return commandSteps(line);
})();

// Major versions of GitHub's own actions that exist (github.com/actions/<name>/releases).
const KNOWN_ACTIONS = /^actions\/(checkout|setup-node|upload-artifact|download-artifact)@v4$/;

const usesNode20 = (job: Job): boolean =>
  /^node:20(-|$)/.test(job.container?.image ?? '') || job.steps.some((s) => s.uses?.startsWith('actions/setup-node@') && String(s.with?.['node-version']) === '20');

test('the README test command is npm ci && npm test, and .ci/run runs exactly that', () => {
  expect(README_TEST_STEPS).toEqual(['npm ci', 'npm test']);
  const run = read('.ci/run').split('\n').filter((l) => !/^\s*#/.test(l));
  // npm ci, with the lock-file fallback .ci/run explains, then npm test.
  const ci = run.findIndex((l) => /^\s*(if ! )?npm ci\b/.test(l));
  const test = run.findIndex((l) => /^\s*npm test(\s|$)/.test(l));
  expect(ci).toBeGreaterThanOrEqual(0);
  expect(test).toBeGreaterThan(ci);
  expect(fs.statSync(path.join(ROOT, '.ci', 'run')).mode & 0o111).not.toBe(0);
});

test('ci.yml: .ci/run on every push and pull request, on Node.js 20, with no cache', () => {
  const ci = workflow('.github/workflows/ci.yml');
  expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
  // Every branch: no branch filter on either event.
  expect(ci.on.push ?? {}).toEqual({});
  expect(ci.on.pull_request ?? {}).toEqual({});
  const jobs = Object.values(ci.jobs);
  const runner = jobs.filter((j) => commands(j).some((c) => c === '.ci/run' || c === 'bash .ci/run'));
  expect(runner).toHaveLength(1);
  expect(usesNode20(runner[0])).toBe(true);
  for (const job of jobs) {
    for (const step of job.steps) {
      if (step.uses) expect(step.uses).toMatch(KNOWN_ACTIONS);
      // A restored node_modules or npm cache could hide a lock file that no longer installs.
      expect(step.uses ?? '').not.toMatch(/^actions\/cache@/);
      expect(step.with?.cache).toBeUndefined();
    }
  }
  expect(ci.permissions).toEqual({ contents: 'read' });
});

const needsOf = (job: Job): string[] => ([] as string[]).concat(job.needs ?? []);
/** `${{ needs.<job>.outputs.<name> }}` */
const needsOutput = (job: string, name: string): RegExp => new RegExp(`^\\$\\{\\{\\s*needs\\.${job}\\.outputs\\.${name}\\s*\\}\\}$`);

test('release.yml: on a v* tag, pack alone, then the README test command, lint and the Node-RED scorecard, then npm publish --provenance --access public of the checked tarball', () => {
  const release = workflow('.github/workflows/release.yml');
  expect(release.on).toEqual({ push: { tags: ['v*'] } });
  expect(release.permissions).toEqual({ contents: 'read' });
  const jobs = Object.entries(release.jobs);
  for (const [, job] of jobs) for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(KNOWN_ACTIONS);
  // Expressions reach scripts through env:, never spliced into a script (injection, quoting).
  for (const [name, job] of jobs) for (const step of job.steps) expect({ name, run: step.run ?? '' }).toEqual({ name, run: expect.not.stringContaining('${{') });

  const publishing = jobs.filter(([, j]) => commands(j).some((c) => c.startsWith('npm publish')));
  expect(publishing).toHaveLength(1);
  const [publishName, publish] = publishing[0];
  const publishCommand = commands(publish).find((c) => c.startsWith('npm publish')) as string;
  expect(publishCommand).toMatch(/ --provenance( |$)/);
  expect(publishCommand).toMatch(/ --access public( |$)/);
  // Provenance needs the job's OIDC token, on the publishing job only; the rest stays read-only.
  expect(publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  for (const [name, job] of jobs.filter(([n]) => n !== publishName)) expect({ name, idToken: job.permissions?.['id-token'] }).toEqual({ name, idToken: undefined });
  // A protected environment: its required reviewers approve each publication (CONTRIBUTING.md).
  expect(typeof publish.environment === 'string' ? publish.environment : publish.environment?.name).toBe('npm');
  // npm signs provenance on GitHub's hosted runner.
  expect(publish['runs-on']).toBe('ubuntu-latest');
  expect(publish.container).toBeUndefined();
  const setupNode = publish.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
  expect(setupNode?.with).toMatchObject({ 'node-version': 20, 'registry-url': 'https://registry.npmjs.org' });
  const publishStep = publish.steps.find((s) => s.run?.includes('npm publish')) as Step;
  expect(publishStep.env?.NODE_AUTH_TOKEN).toMatch(/^\$\{\{\s*secrets\.[A-Z_]+\s*\}\}$/);

  // The tarball comes from a job of its own that packs from the source alone: no install script,
  // no lint, scorecard or test (they install and run third-party hosts and browsers).
  const packing = jobs.filter(([, j]) => commands(j).some((c) => c.startsWith('npm pack')));
  expect(packing.map(([n]) => n)).toHaveLength(1);
  const [packName, pack] = packing[0];
  expect(packName).not.toBe(publishName);
  const packCommands = commands(pack);
  const packAt = (c: string): number => indexOfCommand(packCommands, c);
  expect(packCommands.filter((c) => c.startsWith('npm ci'))).toEqual(['npm ci --ignore-scripts']);
  expect(packCommands.find((c) => c.startsWith('npm pack'))).toMatch(/ --ignore-scripts( |$)/);
  expect(packAt('npm ci')).toBeLessThan(packAt('npm run build'));
  expect(packAt('npm run build')).toBeLessThan(packAt('npm pack'));
  for (const c of ['npm test', 'npm run lint', 'npm run validate:node-red', 'npm install', 'npx', 'apt-get']) expect({ c, found: packAt(c) >= 0 }).toEqual({ c, found: false });
  expect(needsOf(pack)).toEqual([]);
  expect(usesNode20(pack)).toBe(true);
  // The tarball's name and SHA-256 are its outputs; the SHA-256 comes from sha256sum of the tarball.
  expect(Object.keys(pack.outputs ?? {}).sort()).toEqual(['sha256', 'tarball']);
  expect(packCommands.some((c) => /sha256sum .*\$\{?tarball\}?/.test(c))).toBe(true);
  expect(pack.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);

  // The checks run in the other jobs publish needs, after pack.
  const needs = needsOf(publish);
  expect(needs).toContain(packName);
  for (const [name] of jobs.filter(([n]) => n !== publishName)) expect(needs).toContain(name);
  const checkJobs = needs.filter((n) => n !== packName);
  expect(checkJobs.length).toBeGreaterThan(0);
  for (const n of checkJobs) expect({ n, needs: needsOf(release.jobs[n]) }).toEqual({ n, needs: expect.arrayContaining([packName]) });
  const before = checkJobs.flatMap((n) => commands(release.jobs[n]));
  const at = (c: string): number => indexOfCommand(before, c);
  for (const c of [...README_TEST_STEPS, 'npm run build', 'npm run lint', 'npm run validate:node-red']) expect({ c, found: at(c) >= 0 }).toEqual({ c, found: true });
  expect(at('npm ci')).toBeLessThan(at('npm run build'));
  expect(at('npm run build')).toBeLessThan(at('npm run lint'));
  expect(at('npm ci')).toBeLessThan(at('npm test'));
  expect(checkJobs.map((n) => release.jobs[n]).every(usesNode20)).toBe(true);

  // Before npm publish, the downloaded tarball's SHA-256 is compared with pack's output, both
  // given to the shell through env.
  const publishIndex = publish.steps.indexOf(publishStep);
  expect(publishStep.env?.TARBALL ?? '').toMatch(needsOutput(packName, 'tarball'));
  expect(publishCommand).toContain('${TARBALL}');
  const download = publish.steps.findIndex((s) => s.uses?.startsWith('actions/download-artifact@'));
  const verify = publish.steps.findIndex((s, i) => i < publishIndex && /\bsha256sum\b/.test(s.run ?? '') && Object.entries(s.env ?? {}).some(([k, v]) => needsOutput(packName, 'sha256').test(v) && (s.run ?? '').includes(`\${${k}}`)));
  expect(download).toBeGreaterThanOrEqual(0);
  expect(verify).toBeGreaterThan(download);
  expect(verify).toBeLessThan(publishIndex);
  expect(publish.steps[verify].run).toMatch(/exit 1/);

  // The scripts named exist, and npm can tie the provenance to this repository.
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; repository: { url: string } };
  for (const s of ['build', 'lint', 'validate:node-red', 'test']) expect(pkg.scripts[s]).toBeDefined();
  expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
});
