import { startEmulator, RunningEmulator } from '../../emulator';
import { createMdcaClient } from '../../runtime';
import { collect } from '../../core';
import { settingsFor } from '../support/emulator-settings';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

test('lists alerts with an app secret', async () => {
  const client = createMdcaClient(settingsFor(emulator, 'appSecret'));
  const outcome = await client.run('alert.getAll', { severity: ['High'] }, { maxItems: 150 });
  if (outcome.kind !== 'pages') throw new Error('expected pages');
  const items = await collect(outcome.pages);
  expect(items.length).toBeGreaterThan(0);
  expect(items.every((a) => (a as { severityValue: number }).severityValue === 2)).toBe(true);
});
