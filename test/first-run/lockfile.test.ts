// `npm ci` on a fresh clone needs a lock file that lists every optional platform package
// (npm 11 rejects it otherwise); scripts/fix-lock-optional.js keeps it so.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

test('package-lock.json is complete for npm ci', () => {
  const root = path.resolve(__dirname, '../..');
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'fix-lock-optional.js'), '--check'], { encoding: 'utf8' });
  expect(result.stdout).toContain('lists every optional platform package');
  expect(result.status).toBe(0);
});
