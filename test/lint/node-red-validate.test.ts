// `node-red-dev validate` (the Node-RED flow library scorecard) passes on the packed package with
// no errors (see "Node-RED scorecard" in docs/node-red.md). The tool comes from the tool cache
// (scripts/tools/node-red-dev.js); the catalogue request is answered offline by
// scripts/validate-node-red.js.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

test('npm run validate:node-red: scorecard without errors', () => {
  const root = path.resolve(__dirname, '../..');
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'validate-node-red.js')], { cwd: root, encoding: 'utf8', timeout: 600_000, env: process.env });
  const reportFile = path.join(root, 'test-results', 'node-red-scorecard.json');
  if (result.status !== 0) throw new Error(`validate:node-red failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { errors: string[]; warnings: { id: string }[]; scorecard: Record<string, { test?: boolean }> };
  expect(report.errors).toEqual([]);
  expect(result.stdout).toMatch(/^Complete$/m);
  expect(result.stdout).not.toMatch(/ENOTFOUND/);
  // Every check ran and passed (every node type has an example flow: N02), except possibly D03,
  // which follows the registry (a release upstream after our pin) and must name the upgrade.
  for (const id of ['P01', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'N01', 'N02', 'D01', 'D02']) expect({ id, ...report.scorecard[id] }).toMatchObject({ id, test: true });
  expect(report.scorecard.D03).toHaveProperty('test');
  const expected = report.scorecard.D03?.test === false ? ['D03'] : [];
  expect(report.warnings.map((w) => w.id)).toEqual(expected);
  const d03 = report.warnings.find((w) => w.id === 'D03') as { reason: string; result: { packages: string[] } } | undefined;
  for (const name of d03?.result.packages ?? []) expect(d03?.reason).toContain(`npm install --save-exact ${name}@`);
}, 600_000);
