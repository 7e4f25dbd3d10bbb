// n8n's community-node lint passes on credentials/, nodes/ and package.json (n8n's verification
// of community nodes requires it).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

test('npm run lint passes', () => {
  const root = path.resolve(__dirname, '../..');
  // jest sets NODE_ENV=test, which makes eslint-plugin-n8n-nodes-base apply its own test-fixture
  // behaviour (every file then fails the filename rule): lint as a user's shell would.
  const env = { ...process.env };
  delete env.NODE_ENV;
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'lint.js')], { cwd: root, encoding: 'utf8', timeout: 600_000, env });
  if (result.status !== 0) throw new Error(`lint failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  expect(result.status).toBe(0);
}, 600_000);
