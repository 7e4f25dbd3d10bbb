// The README's quick start, as the tests that hold the README to its word read it: the first-run
// test (test/first-run) runs its demo line, the workflow test (test/tooling/workflows.test.ts)
// checks that CI and the release run its test line.

/** Command lines of the first code block under "## Quick start" (comments and blanks dropped). */
export function quickStartCommands(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => /^Quick start\s*$/m.test(s.split('\n')[0]));
  if (!section) throw new Error('README.md has no "## Quick start" section');
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('the README quick start has no code block');
  return block[1]
    .split('\n')
    .map((l) => l.replace(/\s#.*$/, '').replace(/^#.*$/, '').trim())
    .filter(Boolean);
}

/** The `&&`-separated steps of a command line. */
export const commandSteps = (line: string): string[] => line.split('&&').map((s) => s.trim()).filter(Boolean);
