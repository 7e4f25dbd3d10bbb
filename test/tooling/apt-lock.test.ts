// On a fresh machine `npm test` starts the Chromium and Redis installers in parallel, and apt
// refuses a second apt-get while the first holds its lock. Every apt-get of the project goes
// through one lock (scripts/tools/apt.js). This runs the real installer scripts as separate
// processes, in parallel, against an apt-get stand-in that behaves like apt's lock: it fails at
// once when another apt-get runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

const FAKE_APT = `#!/usr/bin/env bash
# apt-get stand-in: one at a time, like apt's own lock; "install" creates the package's file.
lock="$FAKE_APT_DIR/lists.lock"
if ! mkdir "$lock" 2>/dev/null; then
  echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process $(cat "$lock/pid" 2>/dev/null) (apt-get)" >&2
  echo "refused $*" >> "$FAKE_APT_DIR/calls"
  exit 100
fi
echo $$ > "$lock/pid"
echo "ran $*" >> "$FAKE_APT_DIR/calls"
sleep 0.5
if [[ " $* " == *" install "* ]]; then
  for p in "$@"; do case "$p" in redis-server|chromium) touch "$FAKE_APT_DIR/$p"; chmod +x "$FAKE_APT_DIR/$p";; esac; done
fi
rm -rf "$lock"
`;

function runTool(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'tools', script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('the Redis and Chromium installers run apt-get one at a time when started together', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-apt-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'apt-get'), FAKE_APT, { mode: 0o755 });
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_APT_DIR: dir,
    MDCA_TOOLS_CACHE: path.join(dir, 'cache'),
    MDCA_REDIS_SERVER: path.join(dir, 'redis-server'),
    MDCA_CHROMIUM: path.join(dir, 'chromium'),
  };
  try {
    const [redis, chromium] = await Promise.all([runTool('redis.js', env), runTool('chromium.js', env)]);
    expect({ code: redis.code, err: redis.err }).toMatchObject({ code: 0 });
    expect({ code: chromium.code, err: chromium.err }).toMatchObject({ code: 0 });
    expect(redis.out.trim()).toBe(path.join(dir, 'redis-server'));
    expect(chromium.out.trim()).toBe(path.join(dir, 'chromium'));
    const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');
    expect(calls.filter((c) => c.startsWith('refused'))).toEqual([]);
    // Each installer ran update + install, each call bounded-waiting on apt's own lock too.
    expect(calls).toHaveLength(4);
    for (const c of calls) expect(c).toMatch(/^ran -o DPkg::Lock::Timeout=\d+ (update|install -y --no-install-recommends (redis-server|chromium))$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
