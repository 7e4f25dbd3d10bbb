// What a secret-canary suite of the n8n nodes records: every surface it checked, every canary found
// on one (by test, canary and surface), written to test-results/canary-hits/<suite>.json where
// `npm run audit:secrets` (scripts/audit-secrets.js) adds them up.
import * as fs from 'fs';
import * as path from 'path';

export interface CanaryHit {
  test: string;
  canary: string;
  where: string;
}

/** Everything a user or a log collector could read of a value: its JSON, message, description, stack and cause. */
export function surfaceText(value: unknown): string {
  const e = value as { message?: string; description?: string; stack?: string; cause?: unknown } | undefined;
  let json = '';
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    json = String(value);
  }
  return [json, e?.message, e?.description, e?.stack, e?.cause ? String((e.cause as Error).message ?? e.cause) : ''].join('\n');
}

export class CanaryLog {
  readonly hits: CanaryHit[] = [];
  checked = 0;

  constructor(private readonly suite: string) {}

  /** Records a hit for each canary whose value shows anywhere in `value`. */
  check(where: string, value: unknown, canaries: Record<string, string>): void {
    this.checked++;
    const text = surfaceText(value);
    const test = expect.getState().currentTestName ?? '';
    for (const [name, secret] of Object.entries(canaries)) if (secret && text.includes(secret)) this.hits.push({ test, canary: name, where });
  }

  /** The hits of the running test. */
  mine(): CanaryHit[] {
    return this.hits.filter((h) => h.test === expect.getState().currentTestName);
  }

  write(): void {
    const dir = path.resolve(__dirname, '../../test-results/canary-hits');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${this.suite}.json`), JSON.stringify({ suite: this.suite, checked: this.checked, hits: this.hits.length, details: this.hits }, null, 2));
  }
}
