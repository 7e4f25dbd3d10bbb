// The GitHub Actions workflows cannot run here, so this checks what they say: both parse as YAML;
// CI runs .ci/run on every push and pull request, on Node.js 20, without a cache that could hide a
// broken fresh install, and .ci/run is the README's test command; the release (on a v* tag) runs
// the README's test command, the n8n lint and the Node-RED scorecard, packs, and publishes that
// tarball with an npm provenance statement (`id-token: write`, the token from a secret).
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

test('release.yml: on a v* tag, the README test command, lint and the Node-RED scorecard, then npm publish --provenance --access public', () => {
  const release = workflow('.github/workflows/release.yml');
  expect(release.on).toEqual({ push: { tags: ['v*'] } });
  expect(release.permissions).toEqual({ contents: 'read' });
  const jobs = Object.entries(release.jobs);
  for (const [, job] of jobs) for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(KNOWN_ACTIONS);

  const publishing = jobs.filter(([, j]) => commands(j).some((c) => c.startsWith('npm publish')));
  expect(publishing).toHaveLength(1);
  const [publishName, publish] = publishing[0];
  const publishCommand = commands(publish).find((c) => c.startsWith('npm publish')) as string;
  expect(publishCommand).toMatch(/ --provenance( |$)/);
  expect(publishCommand).toMatch(/ --access public( |$)/);
  // Provenance needs the job's OIDC token; the rest of the repository stays read-only.
  expect(publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  // npm signs provenance on GitHub's hosted runner.
  expect(publish['runs-on']).toBe('ubuntu-latest');
  expect(publish.container).toBeUndefined();
  const setupNode = publish.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
  expect(setupNode?.with).toMatchObject({ 'node-version': 20, 'registry-url': 'https://registry.npmjs.org' });
  const publishStep = publish.steps.find((s) => s.run?.includes('npm publish')) as Step;
  expect(publishStep.env?.NODE_AUTH_TOKEN).toMatch(/^\$\{\{\s*secrets\.[A-Z_]+\s*\}\}$/);

  // The checks run before publishing: in the job it needs (or earlier in the same job).
  const needs = ([] as string[]).concat(publish.needs ?? []);
  const before = [...needs.flatMap((n) => commands(release.jobs[n])), ...commands(publish).slice(0, indexOfCommand(commands(publish), 'npm publish'))];
  const at = (c: string): number => indexOfCommand(before, c);
  for (const c of [...README_TEST_STEPS, 'npm run build', 'npm run lint', 'npm run validate:node-red', 'npm pack']) expect({ c, found: at(c) >= 0 }).toEqual({ c, found: true });
  expect(at('npm ci')).toBeLessThan(at('npm run build'));
  expect(at('npm run build')).toBeLessThan(at('npm run lint'));
  for (const c of ['npm run lint', 'npm run validate:node-red', 'npm test']) expect(at(c)).toBeLessThan(at('npm pack'));
  for (const [name] of jobs.filter(([n]) => n !== publishName)) expect(needs).toContain(name);
  const checks = needs.map((n) => release.jobs[n]);
  expect(checks.every(usesNode20)).toBe(true);

  // The scripts named exist, and npm can tie the provenance to this repository.
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; repository: { url: string } };
  for (const s of ['build', 'lint', 'validate:node-red', 'test']) expect(pkg.scripts[s]).toBeDefined();
  expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
});
